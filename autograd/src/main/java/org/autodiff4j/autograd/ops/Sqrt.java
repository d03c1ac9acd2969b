package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Elementwise;
import org.autodiff4j.tensor.Tensor;

/** Elementwise square root. */
public final class Sqrt extends Node {

    private Sqrt(Variable x) {
        super(x);
    }

    /**
     * sqrt(x).
     *
     * @param x the input
     * @return sqrt(x)
     */
    public static Variable apply(Variable x) {
        Tensor y = x.value().sqrt();
        return new Sqrt(x).output(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        // dx = G / (2 sqrt(x)) = G / (2 y)
        return new Variable[] {g.div(result().mul(2.0))};
    }
}
