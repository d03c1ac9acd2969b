package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;

/** Reorders the axes: axis i of the output is axis {@code axes[i]} of the input. */
public final class Permute extends Node {
    private final int[] inverse;

    private Permute(Variable x, int[] inverse) {
        super(x);
        this.inverse = inverse;
    }

    /**
     * x with its axes reordered; throws {@link org.autodiff4j.tensor.ShapeException} naming the axes and the shape
     * when {@code axes} is not a permutation.
     *
     * @param x the input
     * @param axes a permutation of x's axes
     * @return x with its axes reordered
     */
    public static Variable apply(Variable x, int... axes) {
        var out = x.value().permute(axes);
        int[] inverse = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            inverse[Math.floorMod(axes[i], axes.length)] = i;
        }
        return new Permute(x, inverse).output(out);
    }

    @Override
    protected Variable[] backward(Variable g) {
        // dx = G permuted back by the inverse permutation
        return new Variable[] {g.permute(inverse)};
    }
}
