package org.autodiff4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The per-channel kernels' float32 loops (split over threads, four accumulators, the [N, C] column path, fused
 * multiply-adds) against the float64 path on the same values, at shapes whose trailing size is 1, odd, or not a
 * multiple of four.
 */
class ChannelsTest {
    /** Trailing sizes of 1, odd, and not a multiple of four; shared with {@link BatchNormKernelsTest}. */
    static final int[][] SHAPES = {{64, 6272}, {3, 5}, {64, 64, 14, 14}, {5, 3, 7}, {2, 4, 3, 3}, {9, 2, 1, 6}};

    /** Elementwise within {@code tolerance} relative to max(1, |expected|); shared with {@link BatchNormKernelsTest}. */
    static void assertClose(Tensor expected, Tensor actual, double tolerance, String what) {
        assertEquals(expected.shape(), actual.shape(), what);
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.getFlat(i);
            assertEquals(e, actual.getFlat(i), tolerance * Math.max(1, Math.abs(e)), what + " at " + i);
        }
    }

    @Test
    void float32_matchesFloat64_onEveryShape() {
        Generator g = new Generator(7);
        for (int[] shape : SHAPES) {
            String at = java.util.Arrays.toString(shape);
            int c = shape[1];
            // an offset mean, as batch norm meets after a layer: the shift -mean / std nearly cancels x / std
            Tensor x = Tensor.randn(g, DType.FLOAT32, shape).mul(0.5).add(3.0);
            Tensor y = Tensor.randn(g, DType.FLOAT32, shape);
            Tensor scale = Tensor.randn(g, DType.FLOAT32, c);
            Tensor shift = Tensor.randn(g, DType.FLOAT32, c);
            Tensor x64 = x.to(DType.FLOAT64);
            Tensor y64 = y.to(DType.FLOAT64);

            Tensor[] m = Channels.moments(x);
            Tensor[] m64 = Channels.moments(x64);
            assertClose(m64[0], m[0], 1e-6, "mean " + at);
            assertClose(m64[1], m[1], 1e-6, "var " + at);
            assertClose(Channels.sums(x64, null), Channels.sums(x, null), 1e-6, "sums " + at);
            assertClose(Channels.sums(x64, y64), Channels.sums(x, y), 1e-6, "sums of products " + at);

            Tensor invstd = m[1].add(1e-5).pow(-0.5);
            Tensor centre = m[0].mul(invstd).neg();
            Tensor xhat = Channels.affine(x, invstd, centre);
            Tensor xhat64 = Channels.affine(x64, invstd.to(DType.FLOAT64), centre.to(DType.FLOAT64));
            assertClose(xhat64, xhat, 1e-5, "normalised " + at);
            assertClose(Channels.affine(x64, scale.to(DType.FLOAT64), shift.to(DType.FLOAT64)),
                    Channels.affine(x, scale, shift), 1e-6, "affine " + at);
            assertClose(Channels.affine(x64, null, shift.to(DType.FLOAT64)), Channels.affine(x, null, shift), 1e-6,
                    "shift only " + at);
        }
    }

    @Test
    void moments_keepTheirAccuracy_whenTheMeanDwarfsTheSpread() {
        // one pass of sums and squares: shifted by a value of the data, not about zero, where Q / M - mean^2 would
        // lose all 16 digits of the variance 1/3 next to a mean of 1e8
        Generator g = new Generator(3);
        Tensor x = Tensor.uniform(g, -1, 1, DType.FLOAT64, 6, 2, 5, 7).add(1e8);
        Tensor[] m = Channels.moments(x);
        for (int c = 0; c < 2; c++) {
            double sum = 0;
            for (int n = 0; n < 6; n++) {
                for (int j = 0; j < 35; j++) {
                    sum += x.get(n, c, j / 7, j % 7);
                }
            }
            double mean = sum / 210;
            double squares = 0;
            for (int n = 0; n < 6; n++) {
                for (int j = 0; j < 35; j++) {
                    double v = x.get(n, c, j / 7, j % 7) - mean;
                    squares += v * v;
                }
            }
            assertEquals(mean, m[0].get(c), 1e-7, "mean of channel " + c);
            assertEquals(squares / 210, m[1].get(c), 1e-9 * squares / 210, "variance of channel " + c);
        }
    }

    @Test
    void aPerChannelOperandOfTheWrongSize_namesTheOpAndBothSizes() {
        Tensor x = Tensor.zeros(Shape.of(2, 3, 4), DType.FLOAT32);
        ShapeException e = assertThrows(ShapeException.class,
                () -> Channels.affine(x, Tensor.zeros(Shape.of(4), DType.FLOAT32), null));
        assertEquals("affine: per-channel operand [4] does not fit 3 channels", e.getMessage());
        ShapeException rank = assertThrows(ShapeException.class, () -> Channels.moments(Tensor.zeros(Shape.of(5),
                DType.FLOAT32)));
        assertEquals("moments: input [5] must be [N, C, ...]", rank.getMessage());
    }
}
