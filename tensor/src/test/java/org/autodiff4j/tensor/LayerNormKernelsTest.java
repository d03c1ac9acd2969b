package org.autodiff4j.tensor;

import static org.autodiff4j.tensor.ChannelsTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Layer normalisation's kernels: float64 against the composed definition (moments over the trailing values, the
 * normalised affine output, the gradients through sums), and the float32 loops (split over threads, fused
 * multiply-adds) against float64 on the same values, for rows of odd, even and large length.
 */
class LayerNormKernelsTest {
    private static final int[][] SHAPES = {{1, 5}, {3, 7}, {4, 16}, {64, 128, 7, 7}, {2, 3, 5, 5}};

    @Test
    void kernels_matchTheirDefinitions_andFloat32MatchesFloat64() {
        Generator g = new Generator(11);
        for (int[] shape : SHAPES) {
            String at = java.util.Arrays.toString(shape);
            int rows = shape[0];
            int m = 1;
            for (int i = 1; i < shape.length; i++) {
                m *= shape[i];
            }
            Tensor x = Tensor.randn(g, DType.FLOAT32, shape).mul(0.5).add(3.0);
            Tensor dy = Tensor.randn(g, DType.FLOAT32, shape);
            Tensor w = Tensor.randn(g, DType.FLOAT32, m);
            Tensor b = Tensor.randn(g, DType.FLOAT32, m);
            Tensor x64 = x.to(DType.FLOAT64).reshape(rows, m);
            Tensor dy64 = dy.to(DType.FLOAT64).reshape(rows, m);
            Tensor w64 = w.to(DType.FLOAT64);

            Tensor[] mv64 = LayerNormKernels.moments(x64, m);
            Tensor mean = x64.mean(1, false);
            assertClose(mean, mv64[0], 1e-12, "mean " + at);
            assertClose(x64.var(new int[] {1}, 0, false), mv64[1], 1e-12, "variance " + at);
            Tensor invstd64 = mv64[1].add(1e-5).pow(-0.5);
            Tensor xhat = x64.sub(mean.reshape(rows, 1)).mul(invstd64.reshape(rows, 1));
            Tensor y64 = LayerNormKernels.normalize(x64, mv64[0], invstd64, w64, b.to(DType.FLOAT64));
            assertClose(xhat.mul(w64).add(b.to(DType.FLOAT64)), y64, 1e-12, "normalize " + at);

            Tensor[] d64 = LayerNormKernels.backward(dy64, x64, mv64[0], invstd64, w64);
            Tensor gw = dy64.mul(w64);
            Tensor dx = gw.sub(gw.mean(1, true)).sub(xhat.mul(gw.mul(xhat).mean(1, true))).mul(invstd64.reshape(rows, 1));
            assertClose(dx, d64[0], 1e-12, "dx " + at);
            assertClose(dy64.mul(xhat).sum(0, false), d64[1], 1e-12, "dw " + at);
            assertClose(dy64.sum(0, false), d64[2], 1e-12, "db " + at);

            Tensor[] mv = LayerNormKernels.moments(x, m);
            assertClose(mv64[0], mv[0], 1e-5, "mean, float32 " + at);
            assertClose(mv64[1], mv[1], 1e-5, "variance, float32 " + at);
            Tensor invstd = mv[1].add(1e-5).pow(-0.5);
            Tensor y = LayerNormKernels.normalize(x, mv[0], invstd, w, b);
            assertEquals(x.shape(), y.shape());
            assertClose(y64, y.reshape(rows, m), 1e-4, "normalize, float32 " + at);
            Tensor[] d = LayerNormKernels.backward(dy, x, mv[0], invstd, w);
            assertClose(d64[0], d[0].reshape(rows, m), 1e-4, "dx, float32 " + at);
            assertClose(d64[1], d[1], 1e-3, "dw, float32 " + at);
            assertClose(d64[2], d[2], 1e-3, "db, float32 " + at);
            Tensor[] plain = LayerNormKernels.backward(dy, x, mv[0], invstd, null);
            Tensor[] plain64 = LayerNormKernels.backward(dy64, x64, mv64[0], invstd64, null);
            assertClose(plain64[0], plain[0].reshape(rows, m), 1e-4, "dx without weight, float32 " + at);
        }
    }

    @Test
    void moments_keepTheirAccuracy_whenTheMeanDwarfsTheSpread() {
        // one pass, shifted by each row's first value: about zero, Q / m - mean^2 would lose the variance 1/3 to 1e8
        Tensor x = Tensor.uniform(new Generator(4), -1, 1, DType.FLOAT64, 3, 50).add(1e8);
        Tensor[] mv = LayerNormKernels.moments(x, 50);
        for (int r = 0; r < 3; r++) {
            double sum = 0;
            for (int j = 0; j < 50; j++) {
                sum += x.get(r, j);
            }
            double mean = sum / 50;
            double squares = 0;
            for (int j = 0; j < 50; j++) {
                squares += (x.get(r, j) - mean) * (x.get(r, j) - mean);
            }
            assertEquals(mean, mv[0].get(r), 1e-7, "mean of row " + r);
            assertEquals(squares / 50, mv[1].get(r), 1e-9 * squares / 50, "variance of row " + r);
        }
    }

    @Test
    void mismatchedOperands_nameTheOpAndTheShapes() {
        Tensor x = Tensor.zeros(Shape.of(4, 6), DType.FLOAT32);
        assertEquals("layerNorm moments: rows of 5 do not divide input [4, 6]",
                assertThrows(ShapeException.class, () -> LayerNormKernels.moments(x, 5)).getMessage());
        Tensor[] mv = LayerNormKernels.moments(x, 6);
        assertEquals("layerNorm: weight or bias [5] does not hold the 6 values of a row of [4, 6]",
                assertThrows(ShapeException.class, () -> LayerNormKernels.normalize(x, mv[0], mv[1],
                        Tensor.zeros(Shape.of(5), DType.FLOAT32), null)).getMessage());
        assertEquals("layerNorm backward: gradient [4, 5] and input [4, 6] differ",
                assertThrows(ShapeException.class, () -> LayerNormKernels.backward(Tensor.zeros(Shape.of(4, 5),
                        DType.FLOAT32), x, mv[0], mv[1], null)).getMessage());
    }
}
