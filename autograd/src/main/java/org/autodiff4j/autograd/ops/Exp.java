package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Tensor;

/** Elementwise e^x. */
public final class Exp extends Node {
    private final Tensor y;

    private Exp(Variable x, Tensor y) {
        super(x);
        this.y = y;
    }

    /**
     * e^x.
     *
     * @param x the input
     * @return e^x
     */
    public static Variable apply(Variable x) {
        Tensor y = x.value().exp();
        return new Exp(x, y).output(y);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        // dx = G * e^x = G * y
        return new Tensor[] {g.mul(y)};
    }

    @Override
    protected Variable[] backward(Variable g) {
        return new Variable[] {g.mul(input(0).exp())};
    }
}
