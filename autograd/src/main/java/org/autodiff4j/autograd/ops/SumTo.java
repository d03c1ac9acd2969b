package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Shape;

/** Sums over the axes along which {@code target} broadcasts to the input's shape: the gradient of {@link BroadcastTo}. */
public final class SumTo extends Node {
    private final Shape inShape;

    private SumTo(Variable x) {
        super(x);
        this.inShape = x.shape();
    }

    /**
     * {@code x} summed down to {@code target}.
     *
     * @param x the input
     * @param target a shape that broadcasts to {@code x}'s
     * @return {@code x} summed down to {@code target}
     */
    public static Variable apply(Variable x, Shape target) {
        return x.shape().equals(target) ? x : new SumTo(x).output(x.value().sumTo(target));
    }

    @Override
    protected Variable[] backward(Variable g) {
        // dx = G broadcast back to the input's shape
        return new Variable[] {BroadcastTo.apply(g, inShape)};
    }
}
