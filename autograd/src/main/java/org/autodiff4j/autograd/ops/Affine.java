package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;

/** {@code scale * x + shift} for constants: adding, subtracting, scaling and negating by numbers. */
public final class Affine extends Node {
    private final double scale;

    private Affine(Variable x, double scale) {
        super(x);
        this.scale = scale;
    }

    /**
     * {@code scale * x + shift}.
     *
     * @param x the input
     * @param scale the factor
     * @param shift the offset
     * @return {@code scale * x + shift}
     */
    public static Variable apply(Variable x, double scale, double shift) {
        return new Affine(x, scale).output(x.value().affine(scale, shift));
    }

    @Override
    protected Variable[] backward(Variable g) {
        // dx = scale * G
        return new Variable[] {g.mul(scale)};
    }
}
