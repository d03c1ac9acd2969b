package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Shape;

/** The same elements in a new shape. */
public final class Reshape extends Node {
    private final Shape inShape;

    private Reshape(Variable x) {
        super(x);
        this.inShape = x.shape();
    }

    /**
     * x reshaped; throws {@link org.autodiff4j.tensor.ShapeException} when the sizes differ.
     *
     * @param x the input
     * @param dims the new dimensions, of the same total size
     * @return x reshaped
     */
    public static Variable apply(Variable x, int... dims) {
        return new Reshape(x).output(x.value().reshape(dims));
    }

    @Override
    protected Variable[] backward(Variable g) {
        // dx = G reshaped back
        return new Variable[] {g.reshape(inShape.dims())};
    }
}
