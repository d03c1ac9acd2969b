package org.autodiff4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TensorTest {
    private static final DType F32 = DType.FLOAT32;
    private static final DType F64 = DType.FLOAT64;

    private static Tensor m(double[][] rows) {
        return Tensor.of(rows, F64);
    }

    @Test
    void creation_fillsAndShapes() {
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0}, Tensor.zeros(F32, 2, 3).toDoubleArray());
        assertArrayEquals(new double[] {1, 1}, Tensor.ones(F64, 2).toDoubleArray());
        assertArrayEquals(new double[] {1, 0, 0, 1}, Tensor.eye(2, F32).toDoubleArray());
        assertEquals(7.5, Tensor.scalar(7.5, F64).item());
        assertEquals(Shape.SCALAR, Tensor.scalar(1, F32).shape());
        assertEquals(6.0, m(new double[][] {{1, 2, 3}, {4, 5, 6}}).get(1, 2));
    }

    @Test
    void of_wrongLength_namesValuesAndShape() {
        ShapeException e = assertThrows(ShapeException.class, () -> Tensor.of(new float[5], 2, 3));
        assertEquals("of: 5 values cannot fill shape [2, 3] (6 elements)", e.getMessage());
    }

    @Test
    void random_isSeededAndReproducible() {
        Tensor a = Tensor.randn(new Generator(7), F32, 3, 4);
        Tensor b = Tensor.randn(new Generator(7), F32, 3, 4);
        Tensor c = Tensor.randn(new Generator(8), F32, 3, 4);
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        assertFalse(a.allClose(c, 0, 0));
    }

    @Test
    void randn_hasUnitMomentsAndUniformStaysInRange() {
        Tensor n = Tensor.randn(new Generator(1), F64, 100_000);
        assertEquals(0.0, n.mean().item(), 0.02);
        assertEquals(1.0, n.square().mean().item(), 0.02);
        Tensor u = Tensor.uniform(new Generator(2), -3, 5, F64, 10_000);
        assertTrue(u.max(0, false).item() < 5 && u.neg().max(0, false).item() <= 3);
    }

    @Test
    void bernoulli_matchesProbabilitiesAndRejectsBadOnes() {
        Tensor p = Tensor.full(0.3, F64, 100_000);
        assertEquals(0.3, p.bernoulli(new Generator(3)).mean().item(), 0.01);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new double[] {0.5, 1.5}, 2).bernoulli(new Generator(0)));
        assertEquals("bernoulli: probability 1.5 at flat index 1 is outside [0, 1]", e.getMessage());
    }

    @Test
    void broadcasting_addsRowsColumnsAndScalars() {
        Tensor a = m(new double[][] {{1, 2, 3}, {4, 5, 6}});
        assertArrayEquals(new double[] {11, 22, 33, 14, 25, 36},
                a.add(Tensor.of(new double[] {10, 20, 30}, 3)).toDoubleArray());
        assertArrayEquals(new double[] {101, 102, 103, 204, 205, 206},
                a.add(Tensor.of(new double[] {100, 200}, 2, 1)).toDoubleArray());
        assertArrayEquals(new double[] {2, 4, 6, 8, 10, 12}, a.mul(Tensor.scalar(2, F64)).toDoubleArray());
        Tensor outer = Tensor.of(new double[] {1, 2}, 2, 1).mul(Tensor.of(new double[] {1, 10, 100}, 1, 3));
        assertEquals(Shape.of(2, 3), outer.shape());
        assertArrayEquals(new double[] {1, 10, 100, 2, 20, 200}, outer.toDoubleArray());
    }

    @Test
    void binaryOp_mismatch_namesOpAndBothShapes() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> Tensor.zeros(F32, 2, 3).sub(Tensor.zeros(F32, 2, 4)));
        assertEquals("sub: shapes cannot be broadcast: [2, 3] vs [2, 4] (axis -1: 3 != 4)", e.getMessage());
    }

    @Test
    void mixedDtypes_promoteToFloat64() {
        Tensor r = Tensor.ones(F32, 2).add(Tensor.ones(F64, 2));
        assertEquals(F64, r.dtype());
    }

    @Test
    void sigmoidAndSoftplus_doNotOverflow() {
        for (DType dt : DType.values()) {
            Tensor x = Tensor.of(dt, new double[] {-1000, -50, 0, 50, 1000}, 5);
            double[] s = x.sigmoid().toDoubleArray();
            double[] sp = x.softplus().toDoubleArray();
            assertEquals(0.0, s[0]);
            assertEquals(0.5, s[2]);
            assertEquals(1.0, s[4]);
            assertEquals(0.0, sp[0]);
            assertEquals(Math.log(2), sp[2], 1e-7);
            assertEquals(1000.0, sp[4]);
            for (double v : s) {
                assertTrue(Double.isFinite(v));
            }
        }
    }

    @Test
    void elementwise_knownValues() {
        Tensor x = Tensor.of(new double[] {-2, -0.5, 0.5, 4}, 4);
        assertArrayEquals(new double[] {0, 0, 0.5, 4}, x.relu().toDoubleArray());
        assertArrayEquals(new double[] {-0.2, -0.05, 0.5, 4}, x.leakyRelu(0.1).toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {-1, -0.5, 0.5, 1}, x.clamp(-1, 1).toDoubleArray());
        assertArrayEquals(new double[] {4, 0.25, 0.25, 16}, x.square().toDoubleArray());
        assertArrayEquals(new double[] {-8, -0.125, 0.125, 64}, x.pow(3).toDoubleArray(), 1e-12);
        assertEquals(2.0, Tensor.scalar(4, F64).sqrt().item());
        assertEquals(Math.log1p(1e-10), Tensor.scalar(1e-10, F64).log1p().item(), 1e-25);
        assertEquals(Math.tanh(0.3), Tensor.scalar(0.3, F64).tanh().item(), 1e-16);
    }

    @Test
    void matMul_allTransposeFlags_matchNaiveProduct() {
        Generator g = new Generator(11);
        for (DType dt : DType.values()) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    Tensor a = Tensor.randn(g, dt, ta ? 4 : 3, ta ? 3 : 4);
                    Tensor b = Tensor.randn(g, dt, tb ? 5 : 4, tb ? 4 : 5);
                    Tensor expected = naive(ta ? a.transpose() : a, tb ? b.transpose() : b);
                    Tensor actual = a.matMul(b, ta, tb);
                    assertEquals(Shape.of(3, 5), actual.shape());
                    assertTrue(actual.allClose(expected, 1e-5, 1e-5), dt + " " + ta + " " + tb);
                }
            }
        }
    }

    static Tensor naive(Tensor a, Tensor b) {
        int m = a.shape().dim(0);
        int k = a.shape().dim(1);
        int n = b.shape().dim(1);
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) {
                    c[i * n + j] += a.get(i, p) * b.get(p, j);
                }
            }
        }
        return Tensor.of(c, m, n);
    }

    @Test
    void matMul_intoOut_overwritesItWithTheProduct_andChecksIt() {
        Generator g = new Generator(2);
        Tensor a = Tensor.randn(g, F32, 6, 4);
        Tensor b = Tensor.randn(g, F32, 6, 5);
        Tensor out = Tensor.full(Float.NaN, F32, 4, 5);
        int version = out.version();
        assertSame(out, a.matMul(b, true, false, out));
        assertArrayEquals(a.matMul(b, true, false).toFloatArray(), out.toFloatArray());
        assertTrue(out.version() > version);
        ShapeException e = assertThrows(ShapeException.class, () -> a.matMul(b, true, false, Tensor.zeros(F32, 5, 4)));
        assertEquals("matMul: [6, 4]^T x [6, 5] is [4, 5], not out's [5, 4]", e.getMessage());
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class,
                () -> a.matMul(b, true, false, Tensor.zeros(F64, 4, 5)));
        assertEquals("matMul: the product is FLOAT32, out is FLOAT64", d.getMessage());
        Tensor square = Tensor.randn(g, F32, 3, 3);
        assertThrows(IllegalArgumentException.class, () -> square.matMul(square, false, false, square));
    }

    @Test
    void matMul_innerMismatch_namesBothShapes() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> Tensor.zeros(F32, 128, 784).matMul(Tensor.zeros(F32, 500, 20)));
        assertEquals("matMul: [128, 784] x [500, 20]: inner dimensions 784 and 500 differ", e.getMessage());
        ShapeException t = assertThrows(ShapeException.class,
                () -> Tensor.zeros(F32, 3, 4).matMul(Tensor.zeros(F32, 3, 4), false, false));
        assertEquals("matMul: [3, 4] x [3, 4]: inner dimensions 4 and 3 differ", t.getMessage());
        ShapeException r = assertThrows(ShapeException.class,
                () -> Tensor.zeros(F32, 3).matMul(Tensor.zeros(F32, 3, 4)));
        assertEquals("matMul: [3] x [3, 4]: both operands must have rank 2", r.getMessage());
    }

    @Test
    void matMul_emptyInnerDimension_givesZeros() {
        Tensor c = Tensor.zeros(F32, 2, 0).matMul(Tensor.zeros(F32, 0, 3));
        assertArrayEquals(new double[6], c.toDoubleArray());
    }

    @Test
    void reductions_sumMeanMaxArgmax() {
        Tensor a = m(new double[][] {{1, 5, 3}, {4, 2, 6}});
        assertEquals(21.0, a.sum().item());
        assertEquals(3.5, a.mean().item());
        assertArrayEquals(new double[] {5, 7, 9}, a.sum(0, false).toDoubleArray());
        assertEquals(Shape.of(2, 1), a.sum(1, true).shape());
        assertArrayEquals(new double[] {3, 4}, a.mean(-1, false).toDoubleArray());
        assertArrayEquals(new double[] {5, 6}, a.max(1, false).toDoubleArray());
        assertArrayEquals(new int[] {1, 2}, a.argmax(1));
        assertArrayEquals(new int[] {1, 0, 1}, a.argmax(0));
        assertArrayEquals(new double[] {0, 1, 0, 0, 0, 1}, a.argmaxMask(1).toDoubleArray());
    }

    @Test
    void sumTo_undoesBroadcastTo() {
        Tensor row = Tensor.of(new double[] {1, 2, 3}, 3);
        Tensor big = row.broadcastTo(Shape.of(2, 3));
        assertArrayEquals(new double[] {1, 2, 3, 1, 2, 3}, big.toDoubleArray());
        assertArrayEquals(new double[] {2, 4, 6}, big.sumTo(Shape.of(3)).toDoubleArray());
        assertArrayEquals(new double[] {12}, big.sumTo(Shape.SCALAR).toDoubleArray());
        assertArrayEquals(new double[] {6, 6}, big.sumTo(Shape.of(2, 1)).toDoubleArray());
    }

    @Test
    void transposeReshapeSliceConcatIndex() {
        Tensor a = m(new double[][] {{1, 2, 3}, {4, 5, 6}});
        assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, a.transpose().toDoubleArray());
        assertEquals(Shape.of(3, 2), a.reshape(3, 2).shape());
        assertArrayEquals(new double[] {4, 5, 6}, a.sliceRows(1, 2).toDoubleArray());
        assertArrayEquals(new double[] {2, 3, 5, 6}, a.narrow(1, 1, 2).toDoubleArray());
        assertArrayEquals(new double[] {4, 5, 6, 1, 2, 3, 4, 5, 6}, a.indexRows(new int[] {1, 0, 1}).toDoubleArray());
        Tensor cols = Tensor.concat(1, a, Tensor.of(new double[] {7, 8}, 2, 1));
        assertArrayEquals(new double[] {1, 2, 3, 7, 4, 5, 6, 8}, cols.toDoubleArray());
        Tensor rows = Tensor.concat(0, a, a.sliceRows(0, 1));
        assertEquals(Shape.of(3, 3), rows.shape());
    }

    @Test
    void shapeErrors_nameOpAndShapes() {
        Tensor a = Tensor.zeros(F32, 2, 3);
        assertEquals("reshape: cannot reshape [2, 3] (6 elements) to [4, 2] (8 elements)",
                assertThrows(ShapeException.class, () -> a.reshape(4, 2)).getMessage());
        assertEquals("concat: along axis 0: tensor 1 has shape [2, 4], tensor 0 has shape [2, 3]",
                assertThrows(ShapeException.class, () -> Tensor.concat(0, a, Tensor.zeros(F32, 2, 4))).getMessage());
        assertEquals("narrow: [1, 4) is outside axis 0 of shape [2, 3] (size 2)",
                assertThrows(IndexOutOfBoundsException.class, () -> a.sliceRows(1, 4)).getMessage());
        assertEquals("broadcastTo: [2, 3] cannot be broadcast to [3, 3]",
                assertThrows(ShapeException.class, () -> a.broadcastTo(Shape.of(3, 3))).getMessage());
        assertEquals("item: tensor of shape [2, 3] has 6 elements, not 1",
                assertThrows(ShapeException.class, a::item).getMessage());
    }

    @Test
    void inPlaceOps_mutateOnlyTheReceiver() {
        Tensor a = Tensor.ones(F32, 2, 2);
        Tensor b = Tensor.full(2, F32, 2, 2);
        a.addi(b).muli(3);
        assertArrayEquals(new double[] {9, 9, 9, 9}, a.toDoubleArray());
        assertArrayEquals(new double[] {2, 2, 2, 2}, b.toDoubleArray());
        a.axpyi(-1, Tensor.of(new float[] {1, 2}, 2));
        assertArrayEquals(new double[] {8, 7, 8, 7}, a.toDoubleArray());
        Tensor c = a.add(b);
        a.fill(0);
        assertArrayEquals(new double[] {10, 9, 10, 9}, c.toDoubleArray());
    }

    @Test
    void float32_agreesWithFloat64ToFloatTolerance() {
        Generator g = new Generator(5);
        Tensor x64 = Tensor.randn(g, F64, 16, 32);
        Tensor w64 = Tensor.randn(g, F64, 32, 8);
        Tensor r64 = x64.matMul(w64).tanh().add(x64.sum(1, true).sigmoid()).softplus();
        Tensor r32 = x64.to(F32).matMul(w64.to(F32)).tanh().add(x64.to(F32).sum(1, true).sigmoid()).softplus();
        assertEquals(F32, r32.dtype());
        assertTrue(r32.allClose(r64, 1e-5, 1e-5));
    }

}
