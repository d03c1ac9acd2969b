package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;

/** Elementwise {@code a - b} with broadcasting. */
public final class Sub extends Node {
    private Sub(Variable a, Variable b) {
        super(a, b);
    }

    /**
     * {@code a - b}; throws {@link org.autodiff4j.tensor.ShapeException} when the shapes do not broadcast.
     *
     * @param a the left operand
     * @param b the right operand
     * @return {@code a - b}
     */
    public static Variable apply(Variable a, Variable b) {
        return new Sub(a, b).output(a.value().sub(b.value()));
    }

    @Override
    protected Variable[] backward(Variable g) {
        // dA = G ; dB = -G
        return new Variable[] {g, g.neg()};
    }
}
