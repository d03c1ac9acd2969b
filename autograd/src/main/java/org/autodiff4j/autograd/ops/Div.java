package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Tensor;

/** Elementwise {@code a / b} with broadcasting. */
public final class Div extends Node {
    private final Tensor b;
    private final Tensor out;

    private Div(Variable a, Variable b, Tensor out) {
        super(a, b);
        this.b = b.value();
        this.out = out;
    }

    /**
     * {@code a / b}; throws {@link org.autodiff4j.tensor.ShapeException} when the shapes do not broadcast.
     *
     * @param a the left operand
     * @param b the right operand
     * @return {@code a / b}
     */
    public static Variable apply(Variable a, Variable b) {
        Tensor out = a.value().div(b.value());
        return new Div(a, b, out).output(out);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        // dA = G / B ; dB = -G * (A / B) / B
        Tensor gOverB = g.div(b);
        return new Tensor[] {gOverB, needsGrad(1) ? gOverB.mul(out).neg() : null};
    }

    @Override
    protected Variable[] backward(Variable g) {
        Variable gOverB = g.div(input(1));
        return new Variable[] {gOverB, needsGrad(1) ? gOverB.mul(input(0).div(input(1))).neg() : null};
    }
}
