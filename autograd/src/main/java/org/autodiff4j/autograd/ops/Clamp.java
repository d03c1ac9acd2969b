package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Elementwise;
import org.autodiff4j.tensor.Tensor;

/** Elementwise clamp to [lo, hi]. */
public final class Clamp extends Node {
    private final double lo;
    private final double hi;

    private Clamp(Variable x, double lo, double hi) {
        super(x);
        this.lo = lo;
        this.hi = hi;
    }

    /**
     * min(max(x, lo), hi); throws IllegalArgumentException when lo > hi.
     *
     * @param x the input
     * @param lo the lower bound
     * @param hi the upper bound
     * @return min(max(x, lo), hi)
     */
    public static Variable apply(Variable x, double lo, double hi) {
        Tensor out = x.value().clamp(lo, hi);
        return new Clamp(x, lo, hi).output(out);
    }

    @Override
    protected Variable[] backward(Variable g) {
        // dx = G where lo <= x <= hi, else 0
        return new Variable[] {g.mul(Mask.apply(input(0), input(0).value().map(Elementwise.unary(v -> v >= lo && v <= hi ? 1.0 : 0.0))))};
    }
}
