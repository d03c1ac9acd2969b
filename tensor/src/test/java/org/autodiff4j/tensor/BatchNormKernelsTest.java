package org.autodiff4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.autodiff4j.tensor.ChannelsTest.SHAPES;
import static org.autodiff4j.tensor.ChannelsTest.assertClose;

import org.junit.jupiter.api.Test;

/**
 * Batch normalisation's backward kernels against their definitions in float64, and their float32 loops (split over
 * threads, the [N, C] row path, fused multiply-adds) against the float64 path on the same values, at shapes whose
 * trailing size is 1, odd, or even.
 */
class BatchNormKernelsTest {
    @Test
    void sumsAndGradient_matchTheirDefinitions_andFloat32MatchesFloat64() {
        Generator g = new Generator(7);
        for (int[] shape : SHAPES) {
            String at = java.util.Arrays.toString(shape);
            int c = shape[1];
            // an offset mean, as batch norm meets after a layer
            Tensor x = Tensor.randn(g, DType.FLOAT32, shape).mul(0.5).add(3.0);
            Tensor y = Tensor.randn(g, DType.FLOAT32, shape);
            Tensor scale = Tensor.randn(g, DType.FLOAT32, c);
            Tensor x64 = x.to(DType.FLOAT64);
            Tensor y64 = y.to(DType.FLOAT64);
            Tensor[] m = Channels.moments(x);
            Tensor invstd = m[1].add(1e-5).pow(-0.5);

            Tensor mean64 = m[0].to(DType.FLOAT64);
            Tensor[] cs = BatchNormKernels.centredSums(y, x, m[0]);
            Tensor[] cs64 = BatchNormKernels.centredSums(y64, x64, mean64);
            assertClose(Channels.sums(y64, null), cs64[0], 1e-12, "centred sums, g " + at);
            assertClose(Channels.sums(y64, Channels.affine(x64, null, mean64.neg())), cs64[1], 1e-12,
                    "centred sums, g (x - mean) " + at);
            assertClose(cs64[0], cs[0], 1e-6, "centred sums, float32, g " + at);
            assertClose(cs64[1], cs[1], 1e-6, "centred sums, float32, g (x - mean) " + at);

            Tensor invstd64 = invstd.to(DType.FLOAT64);
            Tensor scale64 = scale.to(DType.FLOAT64);
            Tensor dx64 = BatchNormKernels.normalizeBackward(y64, x64, mean64, invstd64, scale64, cs64[0], cs64[1]);
            int l = x.size() / (shape[0] * c);
            double count = x.size() / (double) c;
            for (int i = 0; i < x.size(); i++) {
                int k = (i / l) % c;
                double xhat = (x64.getFlat(i) - mean64.getFlat(k)) * invstd64.getFlat(k);
                double sumGXhat = cs64[1].getFlat(k) * invstd64.getFlat(k);
                double expected = scale64.getFlat(k) * invstd64.getFlat(k)
                        * (y64.getFlat(i) - cs64[0].getFlat(k) / count - xhat * sumGXhat / count);
                assertEquals(expected, dx64.getFlat(i), 1e-12 * Math.max(1, Math.abs(expected)),
                        "normalize backward, definition " + at + " at " + i);
            }
            assertClose(dx64, BatchNormKernels.normalizeBackward(y, x, m[0], invstd, scale, cs[0], cs[1]), 1e-5,
                    "normalize backward " + at);
            assertClose(BatchNormKernels.normalizeBackward(y64, x64, mean64, invstd64, null, cs64[0], cs64[1]),
                    BatchNormKernels.normalizeBackward(y, x, m[0], invstd, null, cs[0], cs[1]), 1e-5,
                    "normalize backward, no scale " + at);
        }
    }

    @Test
    void operandsThatDoNotFit_nameTheOpAndBothShapes() {
        Tensor g = Tensor.zeros(Shape.of(2, 3, 4), DType.FLOAT32);
        ShapeException shapes = assertThrows(ShapeException.class,
                () -> BatchNormKernels.centredSums(g, Tensor.zeros(Shape.of(2, 3, 5), DType.FLOAT32),
                        Tensor.zeros(Shape.of(3), DType.FLOAT32)));
        assertEquals("centredSums: [2, 3, 4] and [2, 3, 5] differ", shapes.getMessage());
        ShapeException mean = assertThrows(ShapeException.class,
                () -> BatchNormKernels.centredSums(g, g, Tensor.zeros(Shape.of(4), DType.FLOAT32)));
        assertEquals("centredSums: per-channel operand [4] does not fit 3 channels", mean.getMessage());
    }
}
