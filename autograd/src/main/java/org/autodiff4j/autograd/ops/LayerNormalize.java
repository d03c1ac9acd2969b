package org.autodiff4j.autograd.ops;

import java.util.Arrays;
import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.LayerNormKernels;
import org.autodiff4j.tensor.ShapeException;
import org.autodiff4j.tensor.Tensor;

/**
 * Layer normalisation with its scale and shift: over the last k axes of x, each sample's M values together,
 * {@code y = (x - mean) / sqrt(var + eps) * w + b} with the biased variance and w, b of the trailing axes' shape.
 * Gradients, with {@code xhat = (x - mean) invstd} and {@code gw = g w}:
 * {@code dx = invstd (gw - mean(gw) - xhat mean(gw xhat))}, the means over a sample's M values;
 * {@code dw = sum g xhat}, {@code db = sum g}, the sums over the leading axes.
 */
public final class LayerNormalize extends Node {
    private final int normalizedAxes;
    private final double eps;
    private final boolean hasWeight;
    private final boolean hasBias;
    private final Tensor mean;
    private final Tensor invstd;

    private LayerNormalize(Variable[] inputs, int normalizedAxes, boolean hasWeight, boolean hasBias, double eps,
                           Tensor mean, Tensor invstd) {
        super(inputs);
        this.normalizedAxes = normalizedAxes;
        this.eps = eps;
        this.hasWeight = hasWeight;
        this.hasBias = hasBias;
        this.mean = mean;
        this.invstd = invstd;
    }

    /**
     * x normalised over its last {@code normalizedAxes} axes, then scaled and shifted, in one pass over x.
     *
     * @param x the input, of rank at least {@code normalizedAxes}
     * @param normalizedAxes how many trailing axes are normalised together
     * @param w the trailing axes' shape, or null for no scale
     * @param b the trailing axes' shape, or null for no shift
     * @param eps added to the variance
     * @return y, x's shape
     * @throws ShapeException when normalizedAxes is out of range or w or b is not of the trailing axes' shape
     */
    public static Variable apply(Variable x, int normalizedAxes, Variable w, Variable b, double eps) {
        int[] trailing = trailing(x, normalizedAxes);
        for (Variable p : new Variable[] {w, b}) {
            if (p != null && !Arrays.equals(p.shape().dims(), trailing)) {
                throw new ShapeException("layerNorm: weight or bias " + p.shape() + " is not the shape "
                        + Arrays.toString(trailing) + " of the last " + normalizedAxes + " axes of " + x.shape());
            }
        }
        int m = 1;
        for (int d : trailing) {
            m *= d;
        }
        Tensor[] mv = LayerNormKernels.moments(x.value(), m);
        Tensor invstd = mv[1].add(eps).pow(-0.5);
        Tensor y = LayerNormKernels.normalize(x.value(), mv[0], invstd, w == null ? null : w.value(),
                b == null ? null : b.value());
        Variable[] inputs = w == null ? (b == null ? new Variable[] {x} : new Variable[] {x, b})
                : (b == null ? new Variable[] {x, w} : new Variable[] {x, w, b});
        return new LayerNormalize(inputs, normalizedAxes, w != null, b != null, eps, mv[0], invstd).output(y);
    }

    private static int[] trailing(Variable x, int normalizedAxes) {
        int rank = x.shape().rank();
        if (normalizedAxes < 1 || normalizedAxes > rank) {
            throw new ShapeException("layerNorm: cannot normalise the last " + normalizedAxes + " axes of " + x.shape());
        }
        return Arrays.copyOfRange(x.shape().dims(), rank - normalizedAxes, rank);
    }

    @Override
    protected Variable[] backward(Variable g) {
        // the same rule in differentiable ops, so that it can be differentiated again
        Variable x = input(0);
        int rank = x.shape().rank();
        int[] axes = new int[normalizedAxes];
        Arrays.setAll(axes, i -> rank - normalizedAxes + i);
        int[] leading = new int[rank - normalizedAxes];
        Arrays.setAll(leading, i -> i);
        Variable centred = x.sub(x.mean(axes, true));
        Variable inv = centred.square().mean(axes, true).add(eps).pow(-0.5);
        Variable xhat = centred.mul(inv);
        Variable[] out = new Variable[1 + (hasWeight ? 1 : 0) + (hasBias ? 1 : 0)];
        if (needsGrad(0)) {
            Variable gw = hasWeight ? g.mul(input(1)) : g;
            out[0] = gw.sub(gw.mean(axes, true)).sub(xhat.mul(gw.mul(xhat).mean(axes, true))).mul(inv);
        }
        if (hasWeight && needsGrad(1)) {
            out[1] = sumLeading(g.mul(xhat), leading);
        }
        if (hasBias && needsGrad(out.length - 1)) {
            out[out.length - 1] = sumLeading(g, leading);
        }
        return out;
    }

    /** Sums over the leading axes (none when the whole input is one sample). */
    private static Variable sumLeading(Variable v, int[] leading) {
        return leading.length == 0 ? v : v.sum(leading, false);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        // NOTE: fast path: two passes over g and x per sample (the two sums, then dx, dw and db), where the composed
        // layer norm took a dozen broadcasting ops each way
        Tensor x = input(0).value();
        Tensor[] d = LayerNormKernels.backward(g, x, mean, invstd, hasWeight ? input(1).value() : null);
        int[] trailing = trailing(input(0), normalizedAxes);
        Tensor[] out = new Tensor[1 + (hasWeight ? 1 : 0) + (hasBias ? 1 : 0)];
        out[0] = needsGrad(0) ? d[0] : null;
        if (hasWeight && needsGrad(1)) {
            out[1] = d[1].reshape(trailing);
        }
        if (hasBias && needsGrad(out.length - 1)) {
            out[out.length - 1] = d[2].reshape(trailing);
        }
        return out;
    }

    /** x and the weight; never the bias or the output. */
    @Override
    protected boolean reads(int i) {
        return i == 0 || hasWeight && i == 1;
    }

    /** x's gradient is a new tensor. */
    @Override
    protected GradientSource gradientSource(int i) {
        return i == 0 ? GradientSource.FRESH : GradientSource.SHARED;
    }
}
