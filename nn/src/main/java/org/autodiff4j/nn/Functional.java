package org.autodiff4j.nn;

import org.autodiff4j.autograd.Variable;
import org.autodiff4j.autograd.ops.BatchNormalize;
import org.autodiff4j.autograd.ops.BroadcastTo;
import org.autodiff4j.autograd.ops.ChannelAffine;
import org.autodiff4j.autograd.ops.Convolution;
import org.autodiff4j.autograd.ops.ConvolutionData;
import org.autodiff4j.autograd.ops.LayerNormalize;
import org.autodiff4j.autograd.ops.Window;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Shape;
import org.autodiff4j.tensor.ShapeException;
import org.autodiff4j.tensor.Tensor;

/**
 * The layers' computations as functions of variables, as {@code torch.nn.functional}: convolution and transposed
 * convolution (oneDNN's kernels with {@code autodiff4j-onednn}, else unfold or fold and one batched product, as
 * PyTorch's {@code slow_conv2d}), pooling, nearest upsampling, batch and layer normalisation, dropout. Each is composed of differentiable ops, so its gradient, and
 * its second derivative under {@code createGraph}, come from theirs. Images are [N, C, H, W].
 */
public final class Functional {
    private Functional() {
    }

    /**
     * The output size of a sliding window along one axis: {@code (in + 2 p - d (k - 1) - 1) / s + 1}.
     *
     * @param in the input size
     * @param window the window
     * @param axis 0 for H, 1 for W
     * @return the output size
     */
    public static int outputSize(int in, Window window, int axis) {
        int[] k = window.kernel();
        return (in + 2 * window.padding()[axis] - window.dilation()[axis] * (k[axis] - 1) - 1) / window.stride()[axis] + 1;
    }

    /**
     * 2-D convolution (cross-correlation, as PyTorch's): {@code y[n, f] = b[f] + sum_c w[f, c] * x[n, c]} over
     * windows: one {@link Convolution} op (oneDNN, or unfold and one product), or with groups, {@code unfold(x)}
     * [N, C kh kw, L] times the weight as [groups, F / groups, C / groups kh kw] matrices.
     *
     * @param x the images [N, C, H, W]
     * @param weight [F, C / groups, kh, kw]
     * @param bias [F], or null
     * @param window kernel (the weight's kh, kw), dilation, padding, stride
     * @param groups channel groups: C and F are split into this many, each convolved on its own
     * @return [N, F, oh, ow]
     * @throws ShapeException naming the shapes when they do not fit
     */
    public static Variable conv2d(Variable x, Variable weight, Variable bias, Window window, int groups) {
        Shape xs = x.shape();
        Shape ws = weight.shape();
        int[] k = window.kernel();
        if (xs.rank() != 4 || ws.rank() != 4 || groups < 1 || xs.dim(1) != ws.dim(1) * groups
                || ws.dim(0) % groups != 0 || ws.dim(2) != k[0] || ws.dim(3) != k[1]) {
            throw new ShapeException("conv2d: input " + xs + ", weight " + ws + " and kernel "
                    + java.util.Arrays.toString(k) + " with " + groups + " groups do not fit: expected [N, C, H, W] and "
                    + "[F, C / groups, kh, kw] with F divisible by groups");
        }
        int n = xs.dim(0);
        int f = ws.dim(0);
        int oh = outputSize(xs.dim(2), window, 0);
        int ow = outputSize(xs.dim(3), window, 1);
        int perGroup = ws.dim(1) * k[0] * k[1];
        if (groups == 1) {
            // one op, on the route Convolutions picks (oneDNN when autodiff4j-onednn is on the class path, else
            // unfold + one gemm over the batch)
            return ChannelAffine.shiftInPlace(Convolution.apply(x, weight, window), bias);
        }
        Variable cols = x.unfold(window);                                     // [N, C kh kw, L]
        Variable grouped = cols.reshape(n, groups, perGroup, oh * ow);
        Variable y = weight.reshape(groups, f / groups, perGroup).matMul(grouped).reshape(n, f, oh * ow);
        return ChannelAffine.shiftInPlace(y, bias).reshape(n, f, oh, ow);
    }

    /**
     * 2-D transposed convolution, the adjoint of {@link #conv2d} in its input (PyTorch's {@code conv_transpose2d}):
     * one {@link ConvolutionData} op (the weight as a [C_in, C_out kh kw] matrix, transposed, times x, folded), into
     * [N, C_out, oh, ow] with {@code oh = (H - 1) s - 2 p + d (k - 1) + outputPadding + 1}.
     *
     * @param x the images [N, C_in, H, W]
     * @param weight [C_in, C_out, kh, kw], PyTorch's layout
     * @param bias [C_out], or null
     * @param window kernel, dilation, padding and stride, as of the convolution it is the adjoint of
     * @param outputPadding (oh, ow) added on one side, each below the stride or the dilation
     * @return [N, C_out, oh, ow]
     * @throws ShapeException naming the shapes when they do not fit
     * @throws IllegalArgumentException when outputPadding is not below the stride or the dilation
     */
    public static Variable convTranspose2d(Variable x, Variable weight, Variable bias, Window window,
                                           int[] outputPadding) {
        Shape xs = x.shape();
        Shape ws = weight.shape();
        int[] k = window.kernel();
        if (xs.rank() != 4 || ws.rank() != 4 || xs.dim(1) != ws.dim(0) || ws.dim(2) != k[0] || ws.dim(3) != k[1]) {
            throw new ShapeException("convTranspose2d: input " + xs + ", weight " + ws + " and kernel "
                    + java.util.Arrays.toString(k) + " do not fit: expected [N, C_in, H, W] and [C_in, C_out, kh, kw]");
        }
        int[] size = new int[2];
        for (int a = 0; a < 2; a++) {
            int op = outputPadding[a];
            if (op < 0 || op >= Math.max(window.stride()[a], window.dilation()[a])) {
                throw new IllegalArgumentException("convTranspose2d: outputPadding " + java.util.Arrays.toString(outputPadding)
                        + " must be at least 0 and below the stride " + java.util.Arrays.toString(window.stride())
                        + " or the dilation " + java.util.Arrays.toString(window.dilation()));
            }
            size[a] = (xs.dim(2 + a) - 1) * window.stride()[a] - 2 * window.padding()[a]
                    + window.dilation()[a] * (k[a] - 1) + op + 1;
            if (size[a] < 1) {
                throw new ShapeException("convTranspose2d: input " + xs + " with " + window + " gives an empty output");
            }
        }
        return ChannelAffine.shiftInPlace(ConvolutionData.apply(x, weight, size, window), bias);
    }

    /**
     * Max pooling over windows of each channel (PyTorch's {@code max_pool2d}; padding counts as minus infinity);
     * the gradient goes to the first maximum of each window.
     *
     * @param x the images [N, C, H, W]
     * @param window kernel, dilation, padding (at most half the kernel) and stride
     * @return [N, C, oh, ow]
     */
    public static Variable maxPool2d(Variable x, Window window) {
        Shape xs = requireImages("maxPool2d", x);
        int[] p = window.padding();
        Variable flat = x.reshape(xs.dim(0) * xs.dim(1), 1, xs.dim(2), xs.dim(3));
        if (p[0] > 0 || p[1] > 0) {
            if (2 * p[0] > window.kernel()[0] || 2 * p[1] > window.kernel()[1]) {
                throw new IllegalArgumentException("maxPool2d: padding " + java.util.Arrays.toString(p)
                        + " must be at most half the kernel " + java.util.Arrays.toString(window.kernel()));
            }
            flat = flat.pad(new int[] {p[1], p[1], p[0], p[0]}, Double.NEGATIVE_INFINITY);
        }
        Window unpadded = new Window(window.kernel(), window.dilation(), new int[] {0, 0}, window.stride());
        Variable windows = flat.unfold(unpadded).max(1, false);               // [N C, L]
        return windows.reshape(xs.dim(0), xs.dim(1), outputSize(xs.dim(2), window, 0), outputSize(xs.dim(3), window, 1));
    }

    /**
     * Average pooling over windows of each channel (PyTorch's {@code avg_pool2d} with its defaults: zero padding
     * counted in the average).
     *
     * @param x the images [N, C, H, W]
     * @param window kernel, dilation, padding and stride
     * @return [N, C, oh, ow]
     */
    public static Variable avgPool2d(Variable x, Window window) {
        Shape xs = requireImages("avgPool2d", x);
        Variable flat = x.reshape(xs.dim(0) * xs.dim(1), 1, xs.dim(2), xs.dim(3));
        Variable windows = flat.unfold(window).mean(1, false);
        return windows.reshape(xs.dim(0), xs.dim(1), outputSize(xs.dim(2), window, 0), outputSize(xs.dim(3), window, 1));
    }

    /**
     * Nearest-neighbour upsampling by integer factors (PyTorch's {@code interpolate(mode="nearest")}): each pixel
     * repeated {@code sh} times down and {@code sw} times across.
     *
     * @param x the images [N, C, H, W]
     * @param sh the factor along H
     * @param sw the factor along W
     * @return [N, C, H sh, W sw]
     */
    public static Variable upsampleNearest(Variable x, int sh, int sw) {
        Shape xs = requireImages("upsampleNearest", x);
        if (sh < 1 || sw < 1) {
            throw new IllegalArgumentException("upsampleNearest: factors " + sh + " and " + sw + " must be at least 1");
        }
        int n = xs.dim(0);
        int c = xs.dim(1);
        int h = xs.dim(2);
        int w = xs.dim(3);
        Variable spread = BroadcastTo.apply(x.reshape(n, c, h, 1, w, 1), Shape.of(n, c, h, sh, w, sw));
        return spread.reshape(n, c, h * sh, w * sw);
    }

    /**
     * Batch normalisation (Ioffe and Szegedy 2015), PyTorch's {@code batch_norm}: over every axis but the channel
     * axis 1, {@code (x - mean) / sqrt(var + eps) * weight + bias}. In training the batch's mean and biased variance
     * are used and the running ones move towards the batch's (the variance unbiased) by {@code momentum}; in
     * evaluation the running ones are used.
     *
     * @param x [N, C] or [N, C, H, W]
     * @param runningMean [C], updated in place in training
     * @param runningVar [C], updated in place in training
     * @param weight [C], or null
     * @param bias [C], or null
     * @param training whether to use (and update with) the batch's statistics
     * @param momentum the running statistics' update factor
     * @param eps added to the variance
     * @return the normalised x, of its shape
     */
    public static Variable batchNorm(Variable x, Tensor runningMean, Tensor runningVar, Variable weight, Variable bias,
                                     boolean training, double momentum, double eps) {
        Shape xs = x.shape();
        if (xs.rank() < 2 || runningMean.shape().rank() != 1 || runningMean.shape().dim(0) != xs.dim(1)) {
            throw new ShapeException("batchNorm: input " + xs + " and running mean " + runningMean.shape()
                    + " do not fit: expected [N, C, ...] and [C]");
        }
        if (training) {
            int count = xs.size() / xs.dim(1);
            if (count < 2) {
                throw new IllegalArgumentException("batchNorm: expected more than one value per channel in training, "
                        + "got input " + xs);
            }
            BatchNormalize.Result r = BatchNormalize.apply(x, weight, bias, eps);
            // the running statistics are plain values: tensor arithmetic, nothing recorded
            Tensor unbiased = r.var().mul((double) count / (count - 1));
            runningMean.copyFrom(runningMean.mul(1 - momentum).add(r.mean().mul(momentum)));
            runningVar.copyFrom(runningVar.mul(1 - momentum).add(unbiased.mul(momentum)));
            return r.y();
        }
        // with the running statistics, one affine map per channel: x * (w / std) + (b - mean w / std)
        Variable inv = Variable.constant(runningVar.add(eps).pow(-0.5));
        Variable scale = weight == null ? inv : weight.mul(inv);
        Variable shift = Variable.constant(runningMean).mul(scale).neg();
        return ChannelAffine.apply(x, scale, bias == null ? shift : bias.add(shift));
    }

    /**
     * Layer normalisation (Ba et al. 2016), PyTorch's {@code layer_norm}: over the last {@code normalizedAxes} axes,
     * {@code (x - mean) / sqrt(var + eps) * weight + bias} with the biased variance.
     *
     * @param x the input, of rank at least {@code normalizedAxes}
     * @param normalizedAxes how many trailing axes are normalised together
     * @param weight the trailing axes' shape, or null
     * @param bias the trailing axes' shape, or null
     * @param eps added to the variance
     * @return the normalised x, of its shape
     * @throws ShapeException when normalizedAxes is out of range, or weight or bias is not of the trailing axes' shape
     */
    public static Variable layerNorm(Variable x, int normalizedAxes, Variable weight, Variable bias, double eps) {
        return LayerNormalize.apply(x, normalizedAxes, weight, bias, eps);
    }

    /**
     * Dropout (Srivastava et al. 2014), PyTorch's {@code dropout}: in training each element is zeroed with
     * probability p and the rest scaled by {@code 1 / (1 - p)}; the identity otherwise.
     *
     * @param x the input
     * @param p the probability of zeroing an element, in [0, 1)
     * @param training whether to drop
     * @param g the generator the mask is drawn from
     * @return x with dropout applied
     * @throws IllegalArgumentException when p is outside [0, 1)
     */
    public static Variable dropout(Variable x, double p, boolean training, Generator g) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout: p must be in [0, 1), got " + p);
        }
        if (!training || p == 0) {
            return x;
        }
        Tensor keep = Tensor.full(1 - p, x.dtype(), x.shape().dims()).bernoulli(g).mul(1 / (1 - p));
        return x.mul(Variable.constant(keep));
    }

    private static Shape requireImages(String op, Variable x) {
        if (x.shape().rank() != 4) {
            throw new ShapeException(op + ": input " + x.shape() + " must be [N, C, H, W]");
        }
        return x.shape();
    }
}
