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
    private static final int[][] SHAPES = {{64, 6272}, {3, 5}, {64, 64, 14, 14}, {5, 3, 7}, {2, 4, 3, 3}, {9, 2, 1, 6}};

    private static void assertClose(Tensor expected, Tensor actual, double tolerance, String what) {
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

            // batch norm's gradient: the two sums in one pass, then dx, against their definitions in float64
            Tensor mean64 = m[0].to(DType.FLOAT64);
            Tensor[] cs = Channels.centredSums(y, x, m[0]);
            Tensor[] cs64 = Channels.centredSums(y64, x64, mean64);
            assertClose(Channels.sums(y64, null), cs64[0], 1e-12, "centred sums, g " + at);
            assertClose(Channels.sums(y64, Channels.affine(x64, null, mean64.neg())), cs64[1], 1e-12,
                    "centred sums, g (x - mean) " + at);
            assertClose(cs64[0], cs[0], 1e-6, "centred sums, float32, g " + at);
            assertClose(cs64[1], cs[1], 1e-6, "centred sums, float32, g (x - mean) " + at);

            Tensor invstd64 = invstd.to(DType.FLOAT64);
            Tensor scale64 = scale.to(DType.FLOAT64);
            Tensor dx64 = Channels.normalizeBackward(y64, x64, mean64, invstd64, scale64, cs64[0], cs64[1]);
            int l = x.size() / (shape[0] * c);
            double count = x.size() / (double) c;
            for (int i = 0; i < x.size(); i++) {
                int k = (i / l) % c;
                double xhatI = (x64.getFlat(i) - mean64.getFlat(k)) * invstd64.getFlat(k);
                double sumGXhat = cs64[1].getFlat(k) * invstd64.getFlat(k);
                double expected = scale64.getFlat(k) * invstd64.getFlat(k)
                        * (y64.getFlat(i) - cs64[0].getFlat(k) / count - xhatI * sumGXhat / count);
                assertEquals(expected, dx64.getFlat(i), 1e-12 * Math.max(1, Math.abs(expected)),
                        "normalize backward, definition " + at + " at " + i);
            }
            assertClose(dx64, Channels.normalizeBackward(y, x, m[0], invstd, scale, cs[0], cs[1]), 1e-5,
                    "normalize backward " + at);
            assertClose(Channels.normalizeBackward(y64, x64, mean64, invstd64, null, cs64[0], cs64[1]),
                    Channels.normalizeBackward(y, x, m[0], invstd, null, cs[0], cs[1]), 1e-5,
                    "normalize backward, no scale " + at);
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
