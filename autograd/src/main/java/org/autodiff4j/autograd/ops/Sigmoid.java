package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Tensor;

/** Elementwise logistic sigmoid, computed without overflow. */
public final class Sigmoid extends Node {
    private final Tensor y;

    private Sigmoid(Variable x, Tensor y) {
        super(x);
        this.y = y;
    }

    /**
     * 1 / (1 + e^-x).
     *
     * @param x the input
     * @return 1 / (1 + e^-x)
     */
    public static Variable apply(Variable x) {
        Tensor y = x.value().sigmoid();
        return new Sigmoid(x, y).output(y);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        // dx = G * y * (1 - y)
        return new Tensor[] {g.sigmoidBackward(y)};
    }
}
