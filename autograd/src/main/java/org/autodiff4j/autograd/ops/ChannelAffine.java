package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Channels;
import org.autodiff4j.tensor.Tensor;

/**
 * {@code y[n, c, ...] = x[n, c, ...] * w[c] + b[c]}: a convolution's bias and batch normalisation's scale and shift,
 * in one pass without a broadcast copy. Gradients: {@code dx = g * w[c]}, {@code dw[c] = sum g x},
 * {@code db[c] = sum g}, the sums over every axis but the channel's.
 */
public final class ChannelAffine extends Node {
    private final boolean hasWeight;
    private final boolean hasBias;
    private final boolean inPlace;

    private ChannelAffine(Variable[] inputs, boolean hasWeight, boolean hasBias, boolean inPlace) {
        super(inputs);
        this.hasWeight = hasWeight;
        this.hasBias = hasBias;
        this.inPlace = inPlace;
    }

    /**
     * x scaled and shifted per channel.
     *
     * @param x [N, C, ...]
     * @param w [C], or null for no scale
     * @param b [C], or null for no shift
     * @return x's shape
     * @throws org.autodiff4j.tensor.ShapeException when w or b is not [C]
     */
    public static Variable apply(Variable x, Variable w, Variable b) {
        Tensor y = Channels.affine(x.value(), w == null ? null : w.value(), b == null ? null : b.value());
        Variable[] inputs = w == null ? (b == null ? new Variable[] {x} : new Variable[] {x, b})
                : (b == null ? new Variable[] {x, w} : new Variable[] {x, w, b});
        return new ChannelAffine(inputs, w != null, b != null, false).output(y);
    }

    /**
     * {@code x[n, c, ...] += b[c]} in place, for an x made just before and held by no one else (a convolution's
     * output): the same op as {@code apply(x, null, b)} without allocating its output, whose value shares x's storage.
     * Its gradients, {@code dx = g} and {@code db[c] = sum g}, do not read x.
     *
     * @param x [N, C, ...], its value overwritten
     * @param b [C], or null for x itself
     * @return x shifted
     * @throws org.autodiff4j.tensor.ShapeException when b is not [C], before anything is written
     * @throws IllegalArgumentException when x is a parameter or shares a parameter's storage
     */
    public static Variable shiftInPlace(Variable x, Variable b) {
        if (b == null) {
            return x;
        }
        requireNotParameter("channel shift", x);
        Tensor y = Channels.affinei(x.value(), null, b.value());
        return new ChannelAffine(new Variable[] {x, b}, false, true, true).output(y.view(y.shape().dims()));
    }

    @Override
    protected Variable[] backward(Variable g) {
        Variable x = input(0);
        Variable w = hasWeight ? input(1) : null;
        Variable[] out = new Variable[1 + (hasWeight ? 1 : 0) + (hasBias ? 1 : 0)];
        out[0] = needsGrad(0) ? (w == null ? g : apply(g, w, null)) : null;
        int[] axes = reducedAxes(x.shape().rank());
        if (hasWeight && needsGrad(1)) {
            out[1] = g.mul(x).sum(axes, false);
        }
        if (hasBias && needsGrad(out.length - 1)) {
            out[out.length - 1] = g.sum(axes, false);
        }
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        // NOTE: fast path: one pass per gradient; through mul and sum the weight gradient made a copy of g x first
        Tensor x = input(0).value();
        Tensor[] out = new Tensor[1 + (hasWeight ? 1 : 0) + (hasBias ? 1 : 0)];
        if (needsGrad(0)) {
            out[0] = hasWeight ? Channels.affine(g, input(1).value(), null) : g;
        }
        if (hasWeight && needsGrad(1)) {
            out[1] = Channels.sums(g, x);
        }
        if (hasBias && needsGrad(out.length - 1)) {
            out[out.length - 1] = Channels.sums(g, null);
        }
        return out;
    }

    /** Every axis but 1. */
    static int[] reducedAxes(int rank) {
        int[] axes = new int[rank - 1];
        for (int i = 1; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        return axes;
    }

    @Override
    protected boolean sharesInputStorage() {
        return inPlace;
    }

    /** x only for the scale's gradient, the scale for x's; never the shift or the output. */
    @Override
    protected boolean reads(int i) {
        return hasWeight && i < 2;
    }

    /** x's gradient is g scaled into a new tensor, or without a scale g itself. */
    @Override
    protected GradientSource gradientSource(int i) {
        return i != 0 ? GradientSource.SHARED : hasWeight ? GradientSource.FRESH : GradientSource.PASSED;
    }
}
