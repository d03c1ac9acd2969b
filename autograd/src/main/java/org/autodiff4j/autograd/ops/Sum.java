package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Shape;
import org.autodiff4j.tensor.Tensor;

/** Sum over all elements or over one axis. */
public final class Sum extends Node {
    private final Shape inShape;
    private final Shape keptShape;

    private Sum(Variable x, Shape keptShape) {
        super(x);
        this.inShape = x.shape();
        this.keptShape = keptShape;
    }

    /**
     * The sum of all elements, rank 0.
     *
     * @param x the input
     * @return the sum of all elements, rank 0
     */
    public static Variable apply(Variable x) {
        return new Sum(x, Shape.SCALAR).output(x.value().sum());
    }

    /**
     * The sum over {@code axis}; {@code keepDims} keeps it with size 1.
     *
     * @param x the input
     * @param axis the axis (negative values count from the end)
     * @param keepDims whether the reduced axis stays, with size 1
     * @return the sum over {@code axis}
     */
    public static Variable apply(Variable x, int axis, boolean keepDims) {
        Tensor out = x.value().sum(axis, keepDims);
        return new Sum(x, x.shape().withDim(axis, 1)).output(out);
    }

    /**
     * The sum over several axes (every axis when {@code axes} is empty); {@code keepDims} keeps them with size 1.
     *
     * @param x the input
     * @param axes the axes, each at most once (negative values count from the end)
     * @param keepDims whether the reduced axes stay, with size 1
     * @return the sums
     */
    public static Variable apply(Variable x, int[] axes, boolean keepDims) {
        Tensor kept = x.value().sum(axes, true);
        Tensor out = keepDims ? kept : kept.reshape(x.value().sum(axes, false).shape().dims());
        return new Sum(x, kept.shape()).output(out);
    }

    @Override
    protected Variable[] backward(Variable g) {
        // dx = G broadcast back over the summed axes
        Variable kept = g.shape().equals(keptShape) ? g : g.reshape(keptShape.dims());
        return new Variable[] {BroadcastTo.apply(kept, inShape)};
    }
}
