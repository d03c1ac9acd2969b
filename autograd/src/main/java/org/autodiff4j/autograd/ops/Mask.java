package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Shape;
import org.autodiff4j.tensor.Tensor;

/**
 * A piecewise-constant function of {@code x} (the step of relu, the window of clamp, the arg-max indicator of
 * max): its value is given, its derivative is zero almost everywhere. It stays linked to {@code x}, so a
 * parameter reached only through a mask gets a zero gradient, as in PyTorch, instead of none.
 */
public final class Mask extends Node {
    private final Shape inShape;

    private Mask(Variable x) {
        super(x);
        this.inShape = x.shape();
    }

    /**
     * The mask {@code value}, computed from {@code x} by the caller.
     *
     * @param x the variable the mask was computed from
     * @param value the mask
     * @return the mask, linked to {@code x} with a zero derivative
     */
    public static Variable apply(Variable x, Tensor value) {
        return new Mask(x).output(value);
    }

    @Override
    protected Variable[] backward(Variable g) {
        // dx = 0
        return new Variable[] {Variable.constant(Tensor.zeros(inShape, g.dtype()))};
    }
}
