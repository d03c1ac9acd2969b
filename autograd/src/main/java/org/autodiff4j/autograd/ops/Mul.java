package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Tensor;

/** Elementwise {@code a * b} with broadcasting. */
public final class Mul extends Node {

    private Mul(Variable a, Variable b) {
        super(a, b);
    }

    /**
     * {@code a * b}; throws {@link org.autodiff4j.tensor.ShapeException} when the shapes do not broadcast.
     *
     * @param a the left operand
     * @param b the right operand
     * @return {@code a * b}
     */
    public static Variable apply(Variable a, Variable b) {
        Tensor out = a.value().mul(b.value());
        return new Mul(a, b).output(out);
    }

    @Override
    protected Variable[] backward(Variable g) {
        // dA = G * B ; dB = G * A
        return new Variable[] {needsGrad(0) ? g.mul(input(1)) : null, needsGrad(1) ? g.mul(input(0)) : null};
    }
}
