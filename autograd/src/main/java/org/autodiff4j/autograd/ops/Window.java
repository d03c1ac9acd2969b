package org.autodiff4j.autograd.ops;

/**
 * The sliding window of a 2-D convolution, unfold and fold: (h, w) pairs of kernel size, dilation, padding and
 * stride, as PyTorch's {@code kernel_size}, {@code dilation}, {@code padding} and {@code stride}.
 *
 * @param kernel (kh, kw)
 * @param dilation (dh, dw), positive
 * @param padding (ph, pw), non-negative
 * @param stride (sh, sw), positive
 */
public record Window(int[] kernel, int[] dilation, int[] padding, int[] stride) {
    /**
     * A window; the pairs are copied, and checked where they are used (naming the op and the shapes).
     *
     * @param kernel (kh, kw)
     * @param dilation (dh, dw)
     * @param padding (ph, pw)
     * @param stride (sh, sw)
     */
    public Window {
        kernel = kernel.clone();
        dilation = dilation.clone();
        padding = padding.clone();
        stride = stride.clone();
    }

    /**
     * A square window: kernel k, dilation 1, the given padding and stride on both axes.
     *
     * @param k the kernel size
     * @param padding the padding
     * @param stride the stride
     * @return the window
     */
    public static Window square(int k, int padding, int stride) {
        return new Window(new int[] {k, k}, new int[] {1, 1}, new int[] {padding, padding}, new int[] {stride, stride});
    }

    /**
     * The kernel (kh, kw), a copy.
     *
     * @return the kernel
     */
    @Override
    public int[] kernel() {
        return kernel.clone();
    }

    /**
     * The dilation (dh, dw), a copy.
     *
     * @return the dilation
     */
    @Override
    public int[] dilation() {
        return dilation.clone();
    }

    /**
     * The padding (ph, pw), a copy.
     *
     * @return the padding
     */
    @Override
    public int[] padding() {
        return padding.clone();
    }

    /**
     * The stride (sh, sw), a copy.
     *
     * @return the stride
     */
    @Override
    public int[] stride() {
        return stride.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Window w && java.util.Arrays.equals(kernel, w.kernel)
                && java.util.Arrays.equals(dilation, w.dilation) && java.util.Arrays.equals(padding, w.padding)
                && java.util.Arrays.equals(stride, w.stride);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.deepHashCode(new Object[] {kernel, dilation, padding, stride});
    }

    @Override
    public String toString() {
        return "Window[kernel=" + java.util.Arrays.toString(kernel) + ", dilation=" + java.util.Arrays.toString(dilation)
                + ", padding=" + java.util.Arrays.toString(padding) + ", stride=" + java.util.Arrays.toString(stride) + "]";
    }
}
