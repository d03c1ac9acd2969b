package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Tensor;

/** Elementwise {@code a * b} with broadcasting. */
public final class Mul extends Node {
    private final Tensor a;
    private final Tensor b;

    private Mul(Variable a, Variable b) {
        super(a, b);
        this.a = a.value();
        this.b = b.value();
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
    protected Tensor[] backward(Tensor g) {
        // dA = G * B ; dB = G * A
        return new Tensor[] {needsGrad(0) ? g.mul(b) : null, needsGrad(1) ? g.mul(a) : null};
    }

    @Override
    protected Variable[] backward(Variable g) {
        return new Variable[] {needsGrad(0) ? g.mul(input(1)) : null, needsGrad(1) ? g.mul(input(0)) : null};
    }
}
