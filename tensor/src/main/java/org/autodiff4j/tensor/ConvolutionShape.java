package org.autodiff4j.tensor;

/**
 * The sizes of one 2-D convolution of [N, C, H, W] images with an [F, C, kh, kw] weight into [N, F, oh, ow], where
 * {@code oh = (H + 2 ph - dh (kh - 1) - 1) / sh + 1} (rounded down) and likewise for ow. A transposed convolution is
 * the same convolution run backwards, so it is described by the convolution it is the adjoint of.
 *
 * @param n the batch N
 * @param c the input channels C
 * @param h the input height H
 * @param w the input width W
 * @param f the output channels (filters) F
 * @param kh the kernel height
 * @param kw the kernel width
 * @param dh the dilation along H, at least 1
 * @param dw the dilation along W, at least 1
 * @param ph the zeros added above and below
 * @param pw the zeros added left and right
 * @param sh the stride along H, at least 1
 * @param sw the stride along W, at least 1
 */
public record ConvolutionShape(int n, int c, int h, int w, int f, int kh, int kw, int dh, int dw, int ph, int pw,
                               int sh, int sw) {
    /**
     * The output height {@code oh}.
     *
     * @return {@code (H + 2 ph - dh (kh - 1) - 1) / sh + 1}
     */
    public int oh() {
        return Math.floorDiv(h + 2 * ph - dh * (kh - 1) - 1, sh) + 1;
    }

    /**
     * The output width {@code ow}.
     *
     * @return {@code (W + 2 pw - dw (kw - 1) - 1) / sw + 1}
     */
    public int ow() {
        return Math.floorDiv(w + 2 * pw - dw * (kw - 1) - 1, sw) + 1;
    }

    int[] kernel() {
        return new int[] {kh, kw};
    }

    int[] dilation() {
        return new int[] {dh, dw};
    }

    int[] padding() {
        return new int[] {ph, pw};
    }

    int[] stride() {
        return new int[] {sh, sw};
    }

    @Override
    public String toString() {
        return "[" + n + ", " + c + ", " + h + ", " + w + "] * [" + f + ", " + c + ", " + kh + ", " + kw + "] (dilation "
                + dh + "x" + dw + ", padding " + ph + "x" + pw + ", stride " + sh + "x" + sw + ") -> [" + n + ", " + f
                + ", " + oh() + ", " + ow() + "]";
    }
}
