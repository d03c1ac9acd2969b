package org.autodiff4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BinaryRowsTest {
    private static final DType F32 = DType.FLOAT32;
    private static final DType F64 = DType.FLOAT64;
    private static final double[] DENSITIES = {0, 0.01, 0.05, 0.13, 0.5, 1};
    private final int threads = Parallelism.threads();

    @AfterEach
    void restoreThreads() {
        Parallelism.setThreads(threads);
    }

    /** m x k zeros and ones, each one with probability {@code density}. */
    private static Tensor binary(Generator g, DType dtype, int m, int k, double density) {
        double[] v = new double[m * k];
        for (int i = 0; i < v.length; i++) {
            v[i] = g.nextDouble() < density ? 1 : 0;
        }
        return Tensor.of(dtype, v, m, k);
    }

    /** Small integers, so that every sum of them is exact in float64 whatever its order. */
    private static Tensor integers(Generator g, DType dtype, int... dims) {
        Shape s = Shape.of(dims);
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = g.nextInt(21) - 10;
        }
        return Tensor.of(dtype, v, dims);
    }

    @Test
    void linearAndWeightGradient_equalTheDenseProducts_inFloat64() {
        Generator g = new Generator(3);
        for (double density : DENSITIES) {
            for (int[] mkn : new int[][] {{1, 1, 1}, {7, 33, 5}, {128, 784, 50}, {40, 17, 300}}) {
                Tensor x = binary(g, F64, mkn[0], mkn[1], density);
                Tensor w = integers(g, F64, mkn[2], mkn[1]);
                Tensor b = integers(g, F64, mkn[2]);
                Tensor grad = integers(g, F64, mkn[0], mkn[2]);
                BinaryRows ones = BinaryRows.of(x, 1).orElseThrow();
                String at = "density " + density + ", m k n " + java.util.Arrays.toString(mkn);
                assertArrayEquals(x.linear(w, b).toDoubleArray(), ones.linear(w, b).toDoubleArray(), at);
                assertArrayEquals(grad.matMul(x, true, false).toDoubleArray(), ones.transposeTimes(grad).toDoubleArray(), at);
            }
        }
    }

    @Test
    void float32Kernels_addInColumnOrder_bitForBit_onOneThreadOrTwo() {
        Generator g = new Generator(5);
        int m = 128;
        int k = 784;
        int n = 200;
        Tensor x = binary(g, F32, m, k, 0.13);
        Tensor w = Tensor.randn(g, F32, n, k);
        Tensor b = Tensor.randn(g, F32, n);
        Tensor grad = Tensor.randn(g, F32, m, n);
        float[] xs = x.toFloatArray();
        float[] ws = w.toFloatArray();
        float[] gs = grad.toFloatArray();
        float[] y = new float[m * n];
        float[] dw = new float[n * k];
        for (int i = 0; i < m; i++) {
            System.arraycopy(b.toFloatArray(), 0, y, i * n, n);
            for (int c = 0; c < k; c++) {
                if (xs[i * k + c] == 1) {
                    for (int j = 0; j < n; j++) {
                        y[i * n + j] += ws[j * k + c];
                        dw[j * k + c] += gs[i * n + j];
                    }
                }
            }
        }
        for (int t : new int[] {1, 2}) {
            Parallelism.setThreads(t);
            BinaryRows ones = BinaryRows.of(x, 1).orElseThrow();
            assertArrayEquals(y, ones.linear(w, b).toFloatArray(), t + " threads");
            assertArrayEquals(dw, ones.transposeTimes(grad).toFloatArray(), t + " threads");
            float[] dense = x.linear(w, b).toFloatArray();
            for (int i = 0; i < y.length; i++) {
                assertEquals(dense[i], y[i], 1e-4 * (1 + Math.abs(dense[i])), "entry " + i);
            }
        }
    }

    @Test
    void mixedDtypes_computeInTheWiderOne() {
        Generator g = new Generator(9);
        Tensor x = binary(g, F32, 6, 10, 0.3);
        Tensor w = integers(g, F64, 4, 10);
        Tensor b = integers(g, F64, 4);
        Tensor out = BinaryRows.of(x, 1).orElseThrow().linear(w, b);
        assertEquals(F64, out.dtype());
        assertArrayEquals(x.linear(w, b).toDoubleArray(), out.toDoubleArray());
    }

    @Test
    void of_isEmpty_forValuesOtherThanZeroAndOne_denserThanTheLimit_orRankOtherThanTwo() {
        assertTrue(BinaryRows.of(Tensor.of(new double[] {0, 1, 0.5, 0}, 2, 2), 1).isEmpty());
        assertTrue(BinaryRows.of(Tensor.of(new double[] {0, -1, 0, 0}, 2, 2), 1).isEmpty());
        assertTrue(BinaryRows.of(Tensor.of(new float[] {0, Float.NaN, 0, 0}, 2, 2), 1).isEmpty());
        Tensor quarter = Tensor.of(new float[] {0, 1, 0, 0}, 2, 2);
        assertEquals(0.25, BinaryRows.of(quarter, 0.25).orElseThrow().density());
        assertTrue(BinaryRows.of(quarter, 0.2).isEmpty());
        assertTrue(BinaryRows.of(quarter, 0).isEmpty());
        assertTrue(BinaryRows.of(Tensor.of(new float[] {0, 1, 0, 0}, 4), 1).isEmpty());
        assertEquals(0.0, BinaryRows.of(Tensor.zeros(F32, 3, 5), 0.01).orElseThrow().density());
        assertEquals(0.25, BinaryRows.of(Tensor.of(new float[] {-0f, 1, 0, 0}, 2, 2), 0.5).orElseThrow().density());
    }

    @Test
    void badArguments_nameTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BinaryRows.of(Tensor.zeros(F32, 2, 2), 1.5));
        assertEquals("BinaryRows.of: maxDensity must be from 0 to 1, got 1.5", e.getMessage());
        BinaryRows ones = BinaryRows.of(Tensor.zeros(F32, 2, 3), 1).orElseThrow();
        ShapeException s = assertThrows(ShapeException.class,
                () -> ones.linear(Tensor.zeros(F32, 4, 5), Tensor.zeros(F32, 4)));
        assertEquals("linear: input [2, 3], weight [4, 5], bias [4]: expected [m, k], [n, k] and [n]", s.getMessage());
        s = assertThrows(ShapeException.class, () -> ones.transposeTimes(Tensor.zeros(F32, 3, 4)));
        assertEquals("matMul: [3, 4]^T x [2, 3]: inner dimensions 3 and 2 differ", s.getMessage());
    }
}
