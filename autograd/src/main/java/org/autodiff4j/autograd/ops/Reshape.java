package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Shape;

/**
 * The same elements in a new shape: the output's value is a {@link org.autodiff4j.tensor.Tensor#view view} of the
 * input's (no copy; an in-place change to one shows in both, and the shared version counter tells autograd).
 */
public final class Reshape extends Node {
    private final Shape inShape;

    private Reshape(Variable x) {
        super(x);
        this.inShape = x.shape();
    }

    /**
     * x reshaped; throws {@link org.autodiff4j.tensor.ShapeException} when the sizes differ.
     *
     * @param x the input
     * @param dims the new dimensions, of the same total size
     * @return x reshaped
     */
    public static Variable apply(Variable x, int... dims) {
        return new Reshape(x).output(x.value().view(dims));
    }

    @Override
    protected Variable[] backward(Variable g) {
        // dx = G reshaped back
        return new Variable[] {g.reshape(inShape.dims())};
    }

    @Override
    protected boolean sharesInputStorage() {
        return true;
    }

    /** Backward reads only shapes. */
    @Override
    protected boolean reads(int i) {
        return false;
    }

    /** A view of g. */
    @Override
    protected GradientSource gradientSource(int i) {
        return GradientSource.PASSED;
    }
}
