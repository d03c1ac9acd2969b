package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Elementwise;
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
        return new Tensor[] {g.map(BACKWARD, y)};
    }

    @Override
    protected Variable[] backward(Variable g) {
        return new Variable[] {g.mul(input(0).tanh().square().rsub(1.0))};
    }

    /** {@code G (1 - y^2)}: operands G and y (PyTorch's {@code tanh_backward}). */
    static final Elementwise BACKWARD = Elementwise.binary(
            (g, y) -> g * (1.0 - y * y),
            (o, g, y, from, to) -> {
                for (int i = from; i < to; i++) {
                    o[i] = g[i] * (1f - y[i] * y[i]);
                }
            });
}
