package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Elementwise;
import org.autodiff4j.tensor.Tensor;

/** Elementwise x^2. */
public final class Square extends Node {
    private final Tensor x;

    private Square(Variable x) {
        super(x);
        this.x = x.value();
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
    protected Tensor[] backward(Tensor g) {
        // dx = 2 x G
        return new Tensor[] {g.map(Elementwise.binary((gi, xi) -> 2.0 * xi * gi), x)};
    }

    @Override
    protected Variable[] backward(Variable g) {
        return new Variable[] {g.mul(input(0)).mul(2.0)};
    }
}
