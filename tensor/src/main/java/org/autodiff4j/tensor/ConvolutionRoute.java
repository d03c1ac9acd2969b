package org.autodiff4j.tensor;

/**
 * A faster way to compute float32 2-D convolutions than unfold + gemm, found with {@link java.util.ServiceLoader}
 * (as {@code autodiff4j-onednn}'s oneDNN route). Arrays are dense and row-major: images [N, C, H, W], weights
 * [F, C, kh, kw], outputs [N, F, oh, ow]. Each method fills its last array, which arrives zeroed, and returns false
 * when this route cannot compute that shape, so that unfold + gemm does it instead. {@link Convolutions} calls a
 * route from any thread.
 */
public interface ConvolutionRoute {
    /**
     * The route's short name, the value of {@code -Dautodiff4j.conv} that asks for it.
     *
     * @return the name, as {@code onednn}
     */
    String name();

    /**
     * Why this route cannot run here (its native library does not load on this platform), or null when it can.
     *
     * @return the reason, or null
     */
    String unavailable();

    /**
     * What it is, for run metadata and {@code info}: the name, version and the kernels it picked.
     *
     * @return a one-line description
     */
    String describe();

    /**
     * {@code y[n, f] = sum_c w[f, c] * x[n, c]} over the windows (cross-correlation, as PyTorch's {@code conv2d}).
     *
     * @param s the sizes
     * @param x the images [N, C, H, W]
     * @param w the weight [F, C, kh, kw]
     * @param y the output [N, F, oh, ow], filled
     * @return false when this route does not compute this shape
     */
    boolean forward(ConvolutionShape s, float[] x, float[] w, float[] y);

    /**
     * The gradient with respect to the images: {@code dx = W^T dy} folded back (PyTorch's {@code conv_transpose2d}).
     *
     * @param s the sizes
     * @param dy the output gradient [N, F, oh, ow]
     * @param w the weight [F, C, kh, kw]
     * @param dx the image gradient [N, C, H, W], filled
     * @return false when this route does not compute this shape
     */
    boolean backwardData(ConvolutionShape s, float[] dy, float[] w, float[] dx);

    /**
     * The gradient with respect to the weight: {@code dw[f, c] = sum_n dy[n, f] x[n, c]} over the windows.
     *
     * @param s the sizes
     * @param x the images [N, C, H, W]
     * @param dy the output gradient [N, F, oh, ow]
     * @param dw the weight gradient [F, C, kh, kw], filled
     * @return false when this route does not compute this shape
     */
    boolean backwardWeights(ConvolutionShape s, float[] x, float[] dy, float[] dw);

    /**
     * Both gradients of {@link #forward}, as {@link #backwardData} and {@link #backwardWeights} compute them, in one
     * call, so that a route can prepare dy once for the two. The default makes the two calls.
     *
     * @param s the sizes
     * @param x the images [N, C, H, W]
     * @param w the weight [F, C, kh, kw]
     * @param dy the output gradient [N, F, oh, ow]
     * @param dx the image gradient [N, C, H, W], filled
     * @param dw the weight gradient [F, C, kh, kw], filled
     * @return false when this route does not compute both for this shape
     */
    default boolean backward(ConvolutionShape s, float[] x, float[] w, float[] dy, float[] dx, float[] dw) {
        return backwardData(s, dy, w, dx) && backwardWeights(s, x, dy, dw);
    }

    /**
     * {@link #forward} of x and {@link #backwardWeights} of x and dy in one call, so that a route can prepare x once
     * for the two: the gradients of a transposed convolution ({@link #backwardData} of dy, here x, with w) with
     * respect to its input and its weight, where dy is the transposed convolution's input. The default makes the two
     * calls.
     *
     * @param s the sizes
     * @param x the images [N, C, H, W]
     * @param w the weight [F, C, kh, kw]
     * @param dy the output gradient [N, F, oh, ow]
     * @param y the convolution of x with w [N, F, oh, ow], filled
     * @param dw the weight gradient [F, C, kh, kw], filled
     * @return false when this route does not compute both for this shape
     */
    default boolean forwardAndWeights(ConvolutionShape s, float[] x, float[] w, float[] dy, float[] y, float[] dw) {
        return forward(s, x, w, y) && backwardWeights(s, x, dy, dw);
    }
}
