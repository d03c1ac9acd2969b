package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Shape;

/** The input repeated along broadcast axes to a larger shape (PyTorch's {@code expand}, as a copy). */
public final class BroadcastTo extends Node {
    private final Shape inShape;

    private BroadcastTo(Variable x) {
        super(x);
        this.inShape = x.shape();
    }

    /**
     * {@code x} broadcast to {@code target}.
     *
     * @param x the input
     * @param target a shape {@code x} broadcasts to
     * @return {@code x} broadcast to {@code target}
     */
    public static Variable apply(Variable x, Shape target) {
        return x.shape().equals(target) ? x : new BroadcastTo(x).output(x.value().broadcastTo(target));
    }

    @Override
    protected Variable[] backward(Variable g) {
        // dx = G summed over the broadcast axes
        return new Variable[] {SumTo.apply(g, inShape)};
    }
}
