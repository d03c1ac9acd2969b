package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Elementwise;
import org.autodiff4j.tensor.Tensor;

/** Elementwise square root. */
public final class Sqrt extends Node {
    private final Tensor y;

    private Sqrt(Variable x, Tensor y) {
        super(x);
        this.y = y;
    }

    /**
     * sqrt(x).
     *
     * @param x the input
     * @return sqrt(x)
     */
    public static Variable apply(Variable x) {
        Tensor y = x.value().sqrt();
        return new Sqrt(x, y).output(y);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        // dx = G / (2 sqrt(x)) = G / (2 y)
        return new Tensor[] {g.map(Elementwise.binary((gi, yi) -> gi / (2.0 * yi)), y)};
    }

    @Override
    protected Variable[] backward(Variable g) {
        return new Variable[] {g.div(input(0).sqrt().mul(2.0))};
    }
}
