package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Tensor;

/** Elementwise {@code a / b} with broadcasting. */
public final class Div extends Node {

    private Div(Variable a, Variable b) {
        super(a, b);
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
        return new Div(a, b).output(out);
    }

    @Override
    protected Variable[] backward(Variable g) {
        // dA = G / B ; dB = -(G / B) * (A / B), with A / B the output
        Variable gOverB = g.div(input(1));
        return new Variable[] {gOverB, needsGrad(1) ? gOverB.mul(result()).neg() : null};
    }
}
