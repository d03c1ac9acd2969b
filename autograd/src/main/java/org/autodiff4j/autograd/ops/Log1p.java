package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Elementwise;

/** Elementwise log(1 + x), accurate near 0. */
public final class Log1p extends Node {

    private Log1p(Variable x) {
        super(x);
    }

    /**
     * log(1 + x).
     *
     * @param x the input
     * @return log(1 + x)
     */
    public static Variable apply(Variable x) {
        return new Log1p(x).output(x.value().log1p());
    }

    @Override
    protected Variable[] backward(Variable g) {
        // dx = G / (1 + x)
        return new Variable[] {g.div(input(0).add(1.0))};
    }
}
