package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Elementwise;

/**
 * Elementwise log(1 + e^x). NOTE: a primitive rather than a composite for numerical stability:
 * the stable form max(x, 0) + log1p(e^-|x|) has a kink in each part but a smooth sum.
 */
public final class Softplus extends Node {

    private Softplus(Variable x) {
        super(x);
    }

    /**
     * log(1 + e^x), finite for any finite x.
     *
     * @param x the input
     * @return log(1 + e^x), finite for any finite x
     */
    public static Variable apply(Variable x) {
        return new Softplus(x).output(x.value().softplus());
    }

    @Override
    protected Variable[] backward(Variable g) {
        // dx = G * sigmoid(x)
        return new Variable[] {g.mul(input(0).sigmoid())};
    }
}
