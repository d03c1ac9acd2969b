package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;

/** Elementwise natural logarithm. */
public final class Log extends Node {

    private Log(Variable x) {
        super(x);
    }

    /**
     * log(x).
     *
     * @param x the input
     * @return log(x)
     */
    public static Variable apply(Variable x) {
        return new Log(x).output(x.value().log());
    }

    @Override
    protected Variable[] backward(Variable g) {
        // dx = G / x
        return new Variable[] {g.div(input(0))};
    }
}
