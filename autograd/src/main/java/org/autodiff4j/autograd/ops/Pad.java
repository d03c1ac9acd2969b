package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;

/** Constant padding of the trailing axes, as PyTorch's {@code F.pad} with mode "constant". */
public final class Pad extends Node {
    private final int[] padding;

    private Pad(Variable x, int[] padding) {
        super(x);
        this.padding = padding.clone();
    }

    /**
     * x padded with {@code value}: (before, after) pairs from the last axis backwards.
     *
     * @param x the input
     * @param padding (before, after) pairs, non-negative
     * @param value the value of the new elements
     * @return x padded
     */
    public static Variable apply(Variable x, int[] padding, double value) {
        return new Pad(x, padding).output(x.value().pad(padding, value));
    }

    @Override
    protected Variable[] backward(Variable g) {
        // dx = the middle of G, without the padding
        Variable dx = g;
        for (int p = 0; p < padding.length / 2; p++) {
            int axis = g.shape().rank() - 1 - p;
            if (padding[2 * p] != 0 || padding[2 * p + 1] != 0) {
                dx = dx.narrow(axis, padding[2 * p], g.shape().dim(axis) - padding[2 * p] - padding[2 * p + 1]);
            }
        }
        return new Variable[] {dx};
    }
}
