package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Tensor;

/** Elementwise x for x >= 0, slope * x below. */
public final class LeakyRelu extends Node {
    private final Tensor x;
    private final double slope;

    private LeakyRelu(Variable x, double slope) {
        super(x);
        this.x = x.value();
        this.slope = slope;
    }

    /**
     * leakyRelu(x) with the given negative slope.
     *
     * @param x the input
     * @param slope the slope for negative inputs
     * @return leakyRelu(x) with the given negative slope
     */
    public static Variable apply(Variable x, double slope) {
        return new LeakyRelu(x, slope).output(x.value().leakyRelu(slope));
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        // dx = G where x > 0, else slope * G
        return new Tensor[] {g.leakyReluBackward(x, slope)};
    }
}
