package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Tensor;

/** Elementwise e^x. */
public final class Exp extends Node {

    private Exp(Variable x) {
        super(x);
    }

    /**
     * e^x.
     *
     * @param x the input
     * @return e^x
     */
    public static Variable apply(Variable x) {
        Tensor y = x.value().exp();
        return new Exp(x).output(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        // dx = G * e^x = G * y
        return new Variable[] {g.mul(result())};
    }
}
