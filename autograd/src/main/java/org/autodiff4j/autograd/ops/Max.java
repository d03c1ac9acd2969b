package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Shape;
import org.autodiff4j.tensor.Tensor;

/** Maximum over one axis; the gradient flows to the first maximum only, as PyTorch's {@code max(dim)}. */
public final class Max extends Node {
    private final Tensor mask;
    private final Shape keptShape;

    private Max(Variable x, int axis) {
        super(x);
        this.mask = x.value().argmaxMask(axis);
        this.keptShape = x.shape().withDim(axis, 1);
    }

    /**
     * The maximum over {@code axis}.
     *
     * @param x the input
     * @param axis the axis (negative values count from the end)
     * @param keepDims whether the reduced axis stays, with size 1
     * @return the maximum over {@code axis}
     */
    public static Variable apply(Variable x, int axis, boolean keepDims) {
        Tensor out = x.value().max(axis, keepDims);
        return new Max(x, axis).output(out);
    }

    @Override
    protected Variable[] backward(Variable g) {
        // dx = G at the arg-max position along the axis, 0 elsewhere
        Variable kept = g.shape().equals(keptShape) ? g : g.reshape(keptShape.dims());
        return new Variable[] {Mask.apply(input(0), mask).mul(kept)};
    }
}
