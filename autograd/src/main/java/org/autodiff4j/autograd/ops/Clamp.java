package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Elementwise;
import org.autodiff4j.tensor.Tensor;

/** Elementwise clamp to [lo, hi]. */
public final class Clamp extends Node {
    private final Tensor x;
    private final double lo;
    private final double hi;

    private Clamp(Variable x, double lo, double hi) {
        super(x);
        this.x = x.value();
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
    protected Tensor[] backward(Tensor g) {
        // dx = G where lo <= x <= hi, else 0
        return new Tensor[] {g.map(Elementwise.binary((gi, xi) -> xi >= lo && xi <= hi ? gi : 0.0), x)};
    }

    @Override
    protected Variable[] backward(Variable g) {
        return new Variable[] {g.mul(Variable.constant(x.map(Elementwise.unary(v -> v >= lo && v <= hi ? 1.0 : 0.0))))};
    }
}
