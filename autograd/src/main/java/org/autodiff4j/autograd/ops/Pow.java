package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Elementwise;

/** Elementwise x^p for a constant exponent p. */
public final class Pow extends Node {
    private final double p;

    private Pow(Variable x, double p) {
        super(x);
        this.p = p;
    }

    /**
     * x^p (NaN for negative x and non-integer p, as in PyTorch).
     *
     * @param x the input
     * @param p the constant exponent
     * @return x^p (NaN for negative x and non-integer p, as in PyTorch)
     */
    public static Variable apply(Variable x, double p) {
        return new Pow(x, p).output(x.value().pow(p));
    }

    @Override
    protected Variable[] backward(Variable g) {
        // dx = G * p * x^(p-1)
        return new Variable[] {p == 0.0 ? g.mul(0.0) : g.mul(input(0).pow(p - 1.0)).mul(p)};
    }
}
