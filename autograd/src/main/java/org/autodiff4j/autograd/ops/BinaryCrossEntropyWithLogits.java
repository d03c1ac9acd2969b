package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Tensor;

/**
 * Elementwise binary cross-entropy of {@code sigmoid(x)} against targets {@code y}, in the
 * log-sum-exp form {@code softplus(x) - x y}: finite for any finite logit. NOTE: fused for numerical
 * stability and speed: one pass forward and the exact gradient {@code sigmoid(x) - y} backward, where
 * the composite of softplus, mul and sub took four passes and three temporaries (the VAE's
 * reconstruction term runs over every pixel of every batch).
 */
public final class BinaryCrossEntropyWithLogits extends Node {
    private final Tensor x;
    private final Tensor y;

    private BinaryCrossEntropyWithLogits(Variable x, Variable y) {
        super(x, y);
        this.x = x.value();
        this.y = y.value();
    }

    /**
     * The elementwise loss of logits {@code x} against targets {@code y} (broadcasting).
     *
     * @param x the logits
     * @param y the targets
     * @return the elementwise loss of logits {@code x} against targets {@code y} (broadcasting)
     */
    public static Variable apply(Variable x, Variable y) {
        Tensor out = x.value().bceWithLogits(y.value());
        return new BinaryCrossEntropyWithLogits(x, y).output(out);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        // dx = G (sigmoid(x) - y) ; dy = -G x
        Tensor dx = needsGrad(0) ? g.mul(x.bceWithLogitsBackward(y)) : null;
        Tensor dy = needsGrad(1) ? g.mul(x).neg() : null;
        return new Tensor[] {dx, dy};
    }
}
