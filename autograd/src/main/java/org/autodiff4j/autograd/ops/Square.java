package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Elementwise;

/** Elementwise x^2. */
public final class Square extends Node {

    private Square(Variable x) {
        super(x);
    }

    /**
     * x^2.
     *
     * @param x the input
     * @return x^2
     */
    public static Variable apply(Variable x) {
        return new Square(x).output(x.value().square());
    }

    @Override
    protected Variable[] backward(Variable g) {
        // dx = 2 x G
        return new Variable[] {g.mul(input(0)).mul(2.0)};
    }
}
