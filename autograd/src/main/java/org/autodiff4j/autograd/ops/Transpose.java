package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;

/** Swaps the last two axes. */
public final class Transpose extends Node {
    private Transpose(Variable x) {
        super(x);
    }

    /**
     * x with its last two axes swapped (rank 0 and 1 unchanged).
     *
     * @param x the input
     * @return x with its last two axes swapped (rank 0 and 1 unchanged)
     */
    public static Variable apply(Variable x) {
        return new Transpose(x).output(x.value().transpose());
    }

    @Override
    protected Variable[] backward(Variable g) {
        // dx = G^T
        return new Variable[] {g.transpose()};
    }
}
