package org.autodiff4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

/** The tensor's elementwise ops: float32 loops against their exact formulas, and the mechanism itself. */
class KernelsTest {
    private static final int N = 1 << 18; // above two VECTOR_GRAINs: split over threads
    /** Three roundings' worth of float32 relative error. */
    private static final double FLOAT_EPS = 3 * 0x1p-24;

    private static double ulps(double exact, float actual) {
        float rounded = (float) exact;
        return rounded == actual ? 0 : Math.abs(actual - exact) / Math.ulp(rounded);
    }

    private static Tensor randomFloats(long seed, double lo, double hi, boolean logScale) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[N];
        for (int i = 0; i < N; i++) {
            x[i] = logScale ? (float) (r.nextDouble(-1, 1) * Math.pow(10, r.nextDouble(-6, 1.5)))
                    : (float) r.nextDouble(lo, hi);
        }
        return Tensor.wrap(x, N);
    }

    @Test
    void everyUnaryOp_matchesItsExactFormulaInFloat32() {
        Tensor x = randomFloats(5, 0, 0, true);
        Map<String, Function<Tensor, Tensor>> ops = Map.ofEntries(
                Map.entry("neg", Tensor::neg), Map.entry("exp", Tensor::exp), Map.entry("log", Tensor::log),
                Map.entry("log1p", Tensor::log1p), Map.entry("tanh", Tensor::tanh), Map.entry("sigmoid", Tensor::sigmoid),
                Map.entry("relu", Tensor::relu), Map.entry("leakyRelu", t -> t.leakyRelu(0.2)),
                Map.entry("leakyRelu1.5", t -> t.leakyRelu(1.5)), Map.entry("softplus", Tensor::softplus),
                Map.entry("square", Tensor::square), Map.entry("sqrt", Tensor::sqrt), Map.entry("pow", t -> t.pow(3)),
                Map.entry("abs", Tensor::abs), Map.entry("clamp", t -> t.clamp(-0.5, 0.75)),
                Map.entry("affine", t -> t.affine(0.2, -1.5)));
        Tensor x64 = x.to(DType.FLOAT64);
        ops.forEach((name, op) -> {
            Tensor out = op.apply(x);
            Tensor exact = op.apply(x64);
            assertEquals(DType.FLOAT32, out.dtype(), name);
            double tolerance = name.equals("tanh") ? 7 : 1;
            for (int i = 0; i < N; i++) {
                double e = exact.getFlat(i);
                float o = (float) out.getFlat(i);
                String what = name + "(" + x.getFlat(i) + ") = " + o + ", exact " + e;
                if (Double.isNaN(e)) {
                    assertTrue(Float.isNaN(o), what);
                } else if (name.equals("affine")) { // float arithmetic: rounding relative to the terms
                    assertTrue(Math.abs(o - e) <= FLOAT_EPS * (Math.abs(0.2 * x.getFlat(i)) + 1.5), what);
                } else {
                    assertTrue(ulps(e, o) <= tolerance, what);
                }
            }
        });
    }

    @Test
    void everyBinaryOp_matchesItsExactFormulaInFloat32() {
        Tensor a = randomFloats(6, -30, 30, false);
        SplittableRandom r = new SplittableRandom(7);
        float[] bs = new float[N];
        for (int i = 0; i < N; i++) {
            bs[i] = i % 7 == 0 ? 0f : (float) r.nextDouble(-1, 1);
        }
        Tensor b = Tensor.wrap(bs, N);
        Map<String, Elementwise> ops = Map.of("add", Kernels.ADD, "sub", Kernels.SUB, "mul", Kernels.MUL,
                "div", Kernels.DIV);
        ops.forEach((name, op) -> {
            Tensor out = a.map(op, b);
            Tensor exact = a.to(DType.FLOAT64).map(op, b.to(DType.FLOAT64));
            for (int i = 0; i < N; i++) {
                String what = name + "(" + a.getFlat(i) + ", " + b.getFlat(i) + ") = " + out.getFlat(i);
                assertTrue(name.equals("div") && bs[i] == 0 ? Double.isInfinite(out.getFlat(i))
                        : ulps(exact.getFlat(i), (float) out.getFlat(i)) <= 1, what);
            }
        });
    }

    @Test
    void map_broadcastsPromotesAndNamesTheOpInShapeErrors() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor row = Tensor.of(new double[] {10, 20, 30}, 3);
        Tensor c = Tensor.of(new double[] {100, 200}, 2, 1);
        Tensor out = a.map(v -> v[0] = v[1] + v[2] * v[3], row, c);
        assertEquals(DType.FLOAT64, out.dtype());
        assertArrayEquals(new double[] {1001, 2002, 3003, 2004, 4005, 6006},
                out.toDoubleArray(), 0);
        ShapeException e = assertThrows(ShapeException.class,
                () -> a.map("myOp", Elementwise.binary((x, y) -> x), Tensor.zeros(DType.FLOAT32, 4)));
        assertTrue(e.getMessage().startsWith("myOp: ") && e.getMessage().contains("[2, 3]")
                && e.getMessage().contains("[4]"), e.getMessage());
    }

    @Test
    void mapi_writesThisAndTheOperandsTheComputationChanges_inBothPrecisions() {
        for (DType dt : DType.values()) {
            Tensor p = Tensor.of(dt, new double[] {1, 2, 3}, 3);
            Tensor acc = Tensor.of(dt, new double[] {0, 0, 0}, 3);
            Tensor in = Tensor.of(dt, new double[] {5, 6, 7}, 3);
            // p += in and acc = old p; in is left as it is
            p.mapi(v -> {
                v[2] = v[1];
                v[0] = v[1] + v[3];
            }, acc, in);
            p.mapi(Elementwise.unary(x -> x)); // a function of one tensor, in place: the same operand numbers as map
            assertArrayEquals(new double[] {6, 8, 10}, p.toDoubleArray(), 0, dt.toString());
            assertArrayEquals(new double[] {1, 2, 3}, acc.toDoubleArray(), 0, dt.toString());
            assertArrayEquals(new double[] {5, 6, 7}, in.toDoubleArray(), 0, dt.toString());
        }
    }

    @Test
    void map_neverWritesItsInputs() {
        Tensor x = Tensor.of(new float[] {1, 2}, 2);
        Tensor out = x.map(v -> {
            v[0] = v[1] * 2;
            v[1] = -99; // ignored: map writes only its output
        });
        assertArrayEquals(new double[] {2, 4}, out.toDoubleArray(), 0);
        assertArrayEquals(new double[] {1, 2}, x.toDoubleArray(), 0);
    }
}
