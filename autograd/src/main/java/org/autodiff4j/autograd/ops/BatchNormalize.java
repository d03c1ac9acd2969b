package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Channels;
import org.autodiff4j.tensor.Tensor;

/**
 * Batch normalisation's normalising step with the batch's own statistics: {@code xhat = (x - mean[c]) / sqrt(var[c]
 * + eps)}, mean and biased variance over every axis but the channel (axis 1). Gradient, with M values per channel:
 * {@code dx = invstd (g - mean(g) - xhat mean(g xhat))}, the means per channel.
 */
public final class BatchNormalize extends Node {
    private final double eps;
    private final Tensor invstd;

    /** The normalised values and the batch statistics they used. */
    public record Result(Variable xhat, Tensor mean, Tensor var) {
    }

    private BatchNormalize(Variable x, double eps, Tensor invstd) {
        super(x);
        this.eps = eps;
        this.invstd = invstd;
    }

    /**
     * x normalised per channel by its batch statistics.
     *
     * @param x [N, C, ...], more than one value per channel
     * @param eps added to the variance
     * @return xhat (x's shape), with the per-channel mean and biased variance [C]
     */
    public static Result apply(Variable x, double eps) {
        Tensor[] mv = Channels.moments(x.value());
        Tensor invstd = mv[1].add(eps).pow(-0.5);
        Tensor xhat = Channels.affine(x.value(), invstd, mv[0].mul(invstd).neg());
        return new Result(new BatchNormalize(x, eps, invstd).output(xhat), mv[0], mv[1]);
    }

    @Override
    protected Variable[] backward(Variable g) {
        // the same rule in differentiable ops, so that it can be differentiated again
        Variable x = input(0);
        int[] axes = ChannelAffine.reducedAxes(x.shape().rank());
        Variable centred = x.sub(x.mean(axes, true));
        Variable inv = centred.square().mean(axes, true).add(eps).pow(-0.5);
        Variable xhat = centred.mul(inv);
        Variable inner = g.sub(g.mean(axes, true)).sub(xhat.mul(g.mul(xhat).mean(axes, true)));
        return new Variable[] {inner.mul(inv)};
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        // NOTE: fast path: two passes (the sums, then dx) instead of a dozen broadcasting ops
        Tensor xhat = result().value();
        return new Tensor[] {Channels.normalizeBackward(g, xhat, invstd, Channels.sums(g, null),
                Channels.sums(g, xhat))};
    }
}
