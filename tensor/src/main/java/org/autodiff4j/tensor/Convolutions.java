package org.autodiff4j.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;

/**
 * 2-D convolution and its two gradients on plain tensors, each on the fastest route at hand: a
 * {@link ConvolutionRoute} on the class path for float32 (add {@code autodiff4j-onednn} for oneDNN's), else unfold +
 * one matrix product over the batch on the BLAS route in use (PyTorch's {@code slow_conv2d}), which also does every
 * float64 convolution. {@code -Dautodiff4j.conv} picks the route: {@code auto} (the default: a route if one loads),
 * {@code gemm}, or a route's name. Images are [N, C, H, W], weights [F, C, kh, kw], outputs [N, F, oh, ow].
 */
public final class Convolutions {
    /** The system property naming the route. */
    public static final String PROPERTY = "autodiff4j.conv";
    /** The route name of unfold + gemm, always available. */
    public static final String GEMM = "gemm";

    private static volatile ConvolutionRoute route;
    private static volatile String why;
    private static volatile boolean chosen;

    private Convolutions() {
    }

    /**
     * The sizes of a convolution of x with a weight of shape w, checked.
     *
     * @param op the op named in errors
     * @param x the images' shape [N, C, H, W]
     * @param w the weight's shape [F, C, kh, kw]
     * @param dilation (dh, dw), positive
     * @param padding (ph, pw), at least 0
     * @param stride (sh, sw), positive
     * @return the sizes
     * @throws ShapeException naming the op and both shapes when they do not fit or give an empty output
     * @throws IllegalArgumentException when a pair has not two entries or an entry is out of range
     */
    public static ConvolutionShape shape(String op, Shape x, Shape w, int[] dilation, int[] padding, int[] stride) {
        checkPair(op, "dilation", dilation, 1);
        checkPair(op, "padding", padding, 0);
        checkPair(op, "stride", stride, 1);
        if (x.rank() != 4 || w.rank() != 4 || x.dim(1) != w.dim(1)) {
            throw new ShapeException(op + ": input " + x + " and weight " + w + " do not fit: expected [N, C, H, W] and "
                    + "[F, C, kh, kw]");
        }
        ConvolutionShape s = new ConvolutionShape(x.dim(0), x.dim(1), x.dim(2), x.dim(3), w.dim(0), w.dim(2), w.dim(3),
                dilation[0], dilation[1], padding[0], padding[1], stride[0], stride[1]);
        if (s.oh() < 1 || s.ow() < 1) {
            throw new ShapeException(op + ": input " + x + " and weight " + w + " with padding "
                    + Arrays.toString(padding) + " and dilation " + Arrays.toString(dilation) + " give an empty output");
        }
        return s;
    }

    /**
     * {@code y[n, f] = sum_c w[f, c] * x[n, c]} over the windows: PyTorch's {@code conv2d} without bias.
     *
     * @param x the images [N, C, H, W]
     * @param w the weight [F, C, kh, kw]
     * @param dilation (dh, dw), positive
     * @param padding (ph, pw), zeros added on both sides
     * @param stride (sh, sw), positive
     * @return [N, F, oh, ow]
     * @throws ShapeException naming both shapes when they do not fit
     */
    public static Tensor forward(Tensor x, Tensor w, int[] dilation, int[] padding, int[] stride) {
        ConvolutionShape s = shape("conv2d", x.shape(), w.shape(), dilation, padding, stride);
        ConvolutionRoute r = routeFor(x, w);
        if (r != null) {
            float[] y = new float[s.n() * s.f() * s.oh() * s.ow()];
            if (r.forward(s, data(x), data(w), y)) {
                return Tensor.wrap(y, s.n(), s.f(), s.oh(), s.ow());
            }
        }
        Tensor cols = x.unfoldBatch(s.kernel(), s.dilation(), s.padding(), s.stride());         // [C kh kw, N L]
        Tensor y = w.reshape(s.f(), s.c() * s.kh() * s.kw()).matMul(cols);                     // [F, N L]
        return y.reshape(s.f(), s.n(), s.oh() * s.ow()).permute(1, 0, 2).reshape(s.n(), s.f(), s.oh(), s.ow());
    }

    /**
     * The gradient of {@link #forward} with respect to the images, {@code dx = fold(W^T dy)}: PyTorch's
     * {@code conv_transpose2d} of dy with w. The input size is given because a strided convolution maps several
     * sizes to the same output size.
     *
     * @param dy the output gradient [N, F, oh, ow]
     * @param w the weight [F, C, kh, kw]
     * @param inputSize (H, W) of the images
     * @param dilation (dh, dw), positive
     * @param padding (ph, pw)
     * @param stride (sh, sw), positive
     * @return [N, C, H, W]
     * @throws ShapeException naming both shapes when dy is not the output of such a convolution
     */
    public static Tensor backwardData(Tensor dy, Tensor w, int[] inputSize, int[] dilation, int[] padding,
                                      int[] stride) {
        Shape ds = dy.shape();
        if (ds.rank() != 4 || w.rank() != 4 || ds.dim(1) != w.shape().dim(0) || inputSize.length != 2) {
            throw new ShapeException("conv2d backward (transposed convolution): gradient " + ds + " and weight "
                    + w.shape() + " do not fit: expected [N, F, oh, ow] and [F, C, kh, kw]");
        }
        ConvolutionShape s = shape("conv2d backward (transposed convolution)",
                Shape.of(ds.dim(0), w.shape().dim(1), inputSize[0], inputSize[1]), w.shape(), dilation, padding, stride);
        requireOutput("conv2d backward (transposed convolution)", s, ds);
        ConvolutionRoute r = routeFor(dy, w);
        if (r != null) {
            float[] dx = new float[s.n() * s.c() * s.h() * s.w()];
            if (r.backwardData(s, data(dy), data(w), dx)) {
                return Tensor.wrap(dx, s.n(), s.c(), s.h(), s.w());
            }
        }
        Tensor cols = w.reshape(s.f(), s.c() * s.kh() * s.kw()).matMul(batchMajor(dy, s), true, false);   // [C kh kw, N L]
        return cols.foldBatch(s.n(), inputSize, s.kernel(), s.dilation(), s.padding(), s.stride());
    }

    /**
     * The gradient of {@link #forward} with respect to the weight: {@code dw[f, c] = sum_n dy[n, f] x[n, c]} over
     * the windows.
     *
     * @param x the images [N, C, H, W]
     * @param dy the output gradient [N, F, oh, ow]
     * @param kernel (kh, kw)
     * @param dilation (dh, dw), positive
     * @param padding (ph, pw)
     * @param stride (sh, sw), positive
     * @return [F, C, kh, kw]
     * @throws ShapeException naming both shapes when dy is not the output of such a convolution of x
     */
    public static Tensor backwardWeights(Tensor x, Tensor dy, int[] kernel, int[] dilation, int[] padding,
                                         int[] stride) {
        Shape ds = dy.shape();
        if (ds.rank() != 4 || x.rank() != 4 || ds.dim(0) != x.shape().dim(0) || kernel.length != 2) {
            throw new ShapeException("conv2d weight gradient: input " + x.shape() + " and gradient " + ds
                    + " do not fit: expected [N, C, H, W] and [N, F, oh, ow]");
        }
        ConvolutionShape s = shape("conv2d weight gradient", x.shape(),
                Shape.of(ds.dim(1), x.shape().dim(1), kernel[0], kernel[1]), dilation, padding, stride);
        requireOutput("conv2d weight gradient", s, ds);
        ConvolutionRoute r = routeFor(x, dy);
        if (r != null) {
            float[] dw = new float[s.f() * s.c() * s.kh() * s.kw()];
            if (r.backwardWeights(s, data(x), data(dy), dw)) {
                return Tensor.wrap(dw, s.f(), s.c(), s.kh(), s.kw());
            }
        }
        Tensor cols = x.unfoldBatch(s.kernel(), s.dilation(), s.padding(), s.stride());         // [C kh kw, N L]
        return batchMajor(dy, s).matMul(cols, false, true).reshape(s.f(), s.c(), s.kh(), s.kw());
    }

    /**
     * Both gradients of {@link #forward}, {@code {dx, dw}} as {@link #backwardData} and {@link #backwardWeights} give
     * them, where the route prepares dy once for the two.
     *
     * @param x the images [N, C, H, W]
     * @param w the weight [F, C, kh, kw]
     * @param dy the output gradient [N, F, oh, ow]
     * @param dilation (dh, dw), positive
     * @param padding (ph, pw)
     * @param stride (sh, sw), positive
     * @return {dx [N, C, H, W], dw [F, C, kh, kw]}
     * @throws ShapeException naming the shapes when dy is not the output of such a convolution of x with w
     */
    public static Tensor[] backward(Tensor x, Tensor w, Tensor dy, int[] dilation, int[] padding, int[] stride) {
        int[] size = {x.shape().dim(2), x.shape().dim(3)};
        int[] kernel = {w.shape().dim(2), w.shape().dim(3)};
        ConvolutionShape s = shape("conv2d backward", x.shape(), w.shape(), dilation, padding, stride);
        requireOutput("conv2d backward", s, dy.shape());
        ConvolutionRoute r = x.dtype() == DType.FLOAT32 ? routeFor(dy, w) : null;
        if (r != null) {
            float[] dx = new float[s.n() * s.c() * s.h() * s.w()];
            float[] dw = new float[s.f() * s.c() * s.kh() * s.kw()];
            if (r.backward(s, data(x), data(w), data(dy), dx, dw)) {
                return new Tensor[] {Tensor.wrap(dx, s.n(), s.c(), s.h(), s.w()),
                    Tensor.wrap(dw, s.f(), s.c(), s.kh(), s.kw())};
            }
        }
        return new Tensor[] {backwardData(dy, w, size, dilation, padding, stride),
            backwardWeights(x, dy, kernel, dilation, padding, stride)};
    }

    /**
     * The gradients of the transposed convolution {@code x = }{@link #backwardData}{@code (y, w)} for its output
     * gradient g: {@code {}{@link #forward}{@code (g, w), }{@link #backwardWeights}{@code (g, y)}}, with respect to
     * y and w, where the route prepares g once for the two.
     *
     * @param g the gradient of the transposed convolution's output [N, C, H, W]
     * @param w the weight [F, C, kh, kw]
     * @param y the transposed convolution's input [N, F, oh, ow]
     * @param dilation (dh, dw), positive
     * @param padding (ph, pw)
     * @param stride (sh, sw), positive
     * @return {dy [N, F, oh, ow], dw [F, C, kh, kw]}
     * @throws ShapeException naming the shapes when y is not the output of such a convolution of g with w
     */
    public static Tensor[] transposedBackward(Tensor g, Tensor w, Tensor y, int[] dilation, int[] padding,
                                              int[] stride) {
        int[] kernel = {w.shape().dim(2), w.shape().dim(3)};
        ConvolutionShape s = shape("conv_transpose2d backward", g.shape(), w.shape(), dilation, padding, stride);
        requireOutput("conv_transpose2d backward", s, y.shape());
        ConvolutionRoute r = y.dtype() == DType.FLOAT32 ? routeFor(g, w) : null;
        if (r != null) {
            float[] dy = new float[s.n() * s.f() * s.oh() * s.ow()];
            float[] dw = new float[s.f() * s.c() * s.kh() * s.kw()];
            if (r.forwardAndWeights(s, data(g), data(w), data(y), dy, dw)) {
                return new Tensor[] {Tensor.wrap(dy, s.n(), s.f(), s.oh(), s.ow()),
                    Tensor.wrap(dw, s.f(), s.c(), s.kh(), s.kw())};
            }
        }
        return new Tensor[] {forward(g, w, dilation, padding, stride),
            backwardWeights(g, y, kernel, dilation, padding, stride)};
    }

    /**
     * The name of the route float32 convolutions take: a {@link ConvolutionRoute}'s, or {@link #GEMM}.
     *
     * @return the route's name
     */
    public static String route() {
        choose();
        ConvolutionRoute r = route;
        return r == null ? GEMM : r.name();
    }

    /**
     * The route, for run metadata: a route's own description, or unfold + gemm with why no other route serves.
     *
     * @return a one-line description
     */
    public static String describe() {
        choose();
        ConvolutionRoute r = route;
        return r != null ? r.describe() : "unfold + gemm on the BLAS route (" + why + ")";
    }

    /**
     * Sets the route, as {@code -Dautodiff4j.conv} does at start: {@code auto}, {@code gemm}, or a route's name.
     *
     * @param name the route
     * @throws IllegalArgumentException naming the allowed values when the route is unknown or cannot run here
     */
    public static synchronized void setRoute(String name) {
        List<ConvolutionRoute> found = new ArrayList<>();
        for (ConvolutionRoute r : ServiceLoader.load(ConvolutionRoute.class, Convolutions.class.getClassLoader())) {
            found.add(r);
        }
        if (name.equals(GEMM)) {
            install(null, "-D" + PROPERTY + "=" + GEMM);
            return;
        }
        List<String> reasons = new ArrayList<>();
        List<String> names = new ArrayList<>(List.of("auto", GEMM));
        for (ConvolutionRoute r : found) {
            names.add(r.name());
            if (name.equals("auto") || name.equals(r.name())) {
                String no = r.unavailable();
                if (no == null) {
                    install(r, null);
                    return;
                }
                reasons.add(r.name() + ": " + no);
            }
        }
        if (name.equals("auto")) {
            install(null, found.isEmpty() ? "no convolution route on the class path; autodiff4j-onednn adds oneDNN's"
                    : String.join("; ", reasons));
            return;
        }
        throw new IllegalArgumentException("-D" + PROPERTY + "=" + name + ": " + (names.contains(name)
                ? String.join("; ", reasons) : "expected one of " + String.join(", ", names)));
    }

    private static void install(ConvolutionRoute r, String reason) {
        route = r;
        why = reason;
        chosen = true;
    }

    private static void choose() {
        if (!chosen) {
            synchronized (Convolutions.class) {
                if (!chosen) {
                    setRoute(System.getProperty(PROPERTY, "auto").trim());
                }
            }
        }
    }

    private static ConvolutionRoute routeFor(Tensor a, Tensor b) {
        if (a.dtype() != DType.FLOAT32 || b.dtype() != DType.FLOAT32) {
            return null;
        }
        choose();
        return route;
    }

    private static float[] data(Tensor t) {
        return ((F32Storage) t.storage).data;
    }

    /** dy [N, F, oh, ow] as one [F, N L] matrix, the layout of the batched product. */
    private static Tensor batchMajor(Tensor dy, ConvolutionShape s) {
        return dy.reshape(s.n(), s.f(), s.oh() * s.ow()).permute(1, 0, 2).reshape(s.f(), s.n() * s.oh() * s.ow());
    }

    private static void requireOutput(String op, ConvolutionShape s, Shape dy) {
        if (dy.dim(0) != s.n() || dy.dim(1) != s.f() || dy.dim(2) != s.oh() || dy.dim(3) != s.ow()) {
            throw new ShapeException(op + ": gradient " + dy + " is not the output [" + s.n() + ", " + s.f() + ", "
                    + s.oh() + ", " + s.ow() + "] of " + s);
        }
    }

    private static void checkPair(String op, String what, int[] pair, int least) {
        if (pair.length != 2 || pair[0] < least || pair[1] < least) {
            throw new IllegalArgumentException(op + ": " + what + " " + Arrays.toString(pair) + " must be two numbers of "
                    + "at least " + least);
        }
    }
}
