package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Tensor;

/** Elementwise hyperbolic tangent. */
public final class Tanh extends Node {
    private final Tensor y;

    private Tanh(Variable x, Tensor y) {
        super(x);
        this.y = y;
    }

    /**
     * tanh(x).
     *
     * @param x the input
     * @return tanh(x)
     */
    public static Variable apply(Variable x) {
        Tensor y = x.value().tanh();
        return new Tanh(x, y).output(y);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        // dx = G * (1 - y^2)
        return new Tensor[] {g.tanhBackward(y)};
    }
}
