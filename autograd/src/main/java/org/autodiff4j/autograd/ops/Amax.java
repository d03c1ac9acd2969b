package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Elementwise;
import org.autodiff4j.tensor.Shape;
import org.autodiff4j.tensor.Tensor;

/**
 * Maximum over several axes (PyTorch's {@code amax}); the gradient is shared evenly among the elements tied for
 * the maximum, as PyTorch's.
 */
public final class Amax extends Node {
    private final Shape keptShape;

    private Amax(Variable x, Shape keptShape) {
        super(x);
        this.keptShape = keptShape;
    }

    /**
     * The maximum over {@code axes} (every axis when empty).
     *
     * @param x the input
     * @param axes the axes, each at most once
     * @param keepDims whether the reduced axes stay, with size 1
     * @return the maximum over {@code axes}
     */
    public static Variable apply(Variable x, int[] axes, boolean keepDims) {
        Tensor kept = x.value().max(axes, true);
        Tensor out = keepDims ? kept : x.value().max(axes, false);
        return new Amax(x, kept.shape()).output(out);
    }

    @Override
    protected Variable[] backward(Variable g) {
        // dx = G / (number of ties) where x equals the maximum, 0 elsewhere
        Tensor x = input(0).value();
        Tensor max = result().value().reshape(keptShape.dims());
        Tensor ties = x.map(Elementwise.binary((a, m) -> a == m ? 1.0 : 0.0), max);
        Tensor share = ties.div(ties.sumTo(keptShape));
        Variable kept = g.shape().equals(keptShape) ? g : g.reshape(keptShape.dims());
        return new Variable[] {Mask.apply(input(0), share).mul(kept)};
    }
}
