package org.autodiff4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The float32 fast forms against the exact double formulas of {@link UnaryOp} and {@link BinaryOp}. */
class F32KernelsTest {
    private static final int N = 1 << 18; // above two VECTOR_GRAINs: split over threads
    /** Three roundings' worth of float32 relative error. */
    private static final double FLOAT_EPS = 3 * 0x1p-24;

    /** Every float whose bits are a multiple of {@code stride} in [0, bits of hi], with both signs. */
    private static float[] floatsUpTo(float hi, int stride) {
        int top = Float.floatToIntBits(hi);
        float[] x = new float[2 * (top / stride + 1)];
        for (int i = 0, b = 0; b <= top; b += stride, i += 2) {
            x[i] = Float.intBitsToFloat(b);
            x[i + 1] = -x[i];
        }
        return x;
    }

    private static double ulps(double exact, float actual) {
        float rounded = (float) exact;
        return rounded == actual ? 0 : Math.abs(actual - exact) / Math.ulp(rounded);
    }

    @Test
    void tanh_withinSevenUlpsOverEveryMagnitude() {
        // NOTE: over all floats (checked once outside the test suite) the maximum is 6.2 ulps near 4.9.
        float[] x = floatsUpTo(12f, 997);
        float[] y = new float[x.length];
        F32Kernels.tanh(x, y, 0, x.length);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, ulps(StrictMath.tanh(x[i]), y[i]));
        }
        assertTrue(worst <= 7, "worst " + worst + " ulps");
        assertEquals(1f, F32Kernels.tanh(1e30f));
        assertEquals(-1f, F32Kernels.tanh(Float.NEGATIVE_INFINITY));
        assertEquals(1e-30f, F32Kernels.tanh(1e-30f));
        assertTrue(Float.isNaN(F32Kernels.tanh(Float.NaN)));
    }

    @Test
    void softplusTail_withinTwoTenthsOfAMillionthAndZeroFarOut() {
        float[] x = floatsUpTo(40f, 997);
        double worst = 0;
        for (float v : x) {
            worst = Math.max(worst, Math.abs(F32Kernels.softplusTail(v) - Math.log1p(Math.exp(-Math.abs((double) v)))));
        }
        assertTrue(worst <= 2e-7, "worst absolute error " + worst);
        assertEquals(0f, F32Kernels.softplusTail(17f));
        assertEquals(0f, F32Kernels.softplusTail(-1000f));
        assertEquals(0f, F32Kernels.softplusTail(Float.POSITIVE_INFINITY));
    }

    @Test
    void step_isExactIncludingSubnormalsAndSignedZero() {
        assertEquals(1f, F32Kernels.step(Float.MIN_VALUE));
        assertEquals(1f, F32Kernels.step(Float.MAX_VALUE));
        assertEquals(1f, F32Kernels.step(Float.POSITIVE_INFINITY));
        assertEquals(0f, F32Kernels.step(0f));
        assertEquals(0f, F32Kernels.step(-0f));
        assertEquals(0f, F32Kernels.step(-Float.MIN_VALUE));
        assertEquals(0f, F32Kernels.step(Float.NEGATIVE_INFINITY));
    }

    @Test
    void everyUnaryOp_matchesItsExactFormula() {
        SplittableRandom r = new SplittableRandom(5);
        F32Storage x = new F32Storage(new float[N]);
        for (int i = 0; i < N; i++) {
            x.data[i] = (float) (r.nextDouble(-1, 1) * Math.pow(10, r.nextDouble(-6, 1.5)));
        }
        for (UnaryOp op : UnaryOp.values()) {
            double p = op == UnaryOp.POW ? 3 : op == UnaryOp.CLAMP ? -0.5 : 0.2;
            double q = op == UnaryOp.CLAMP ? 0.75 : -1.5;
            F32Storage out = new F32Storage(new float[N]);
            x.unary(op, p, q, out); // large enough to be split over threads
            double tolerance = op == UnaryOp.TANH ? 7 : 1;
            for (int i = 0; i < N; i++) {
                double exact = op.apply(x.data[i], p, q);
                if (Double.isNaN(exact)) {
                    assertTrue(Float.isNaN(out.data[i]), op + "(" + x.data[i] + ")");
                } else if (op == UnaryOp.AFFINE) { // float arithmetic: rounding relative to the terms
                    assertTrue(Math.abs(out.data[i] - exact) <= FLOAT_EPS * (Math.abs(p * x.data[i]) + Math.abs(q)),
                            op + "(" + x.data[i] + ") = " + out.data[i] + ", exact " + exact);
                } else {
                    assertTrue(ulps(exact, out.data[i]) <= tolerance,
                            op + "(" + x.data[i] + ") = " + out.data[i] + ", exact " + exact);
                }
            }
        }
    }

    @Test
    void everyBinaryOp_matchesItsExactFormula() {
        SplittableRandom r = new SplittableRandom(6);
        F32Storage a = new F32Storage(new float[N]);
        F32Storage b = new F32Storage(new float[N]);
        for (int i = 0; i < N; i++) {
            a.data[i] = (float) r.nextDouble(-30, 30);
            b.data[i] = i % 7 == 0 ? 0f : (float) r.nextDouble(-1, 1);
        }
        for (BinaryOp op : BinaryOp.values()) {
            F32Storage out = new F32Storage(new float[N]);
            a.binary(op, b, 0.2, out);
            for (int i = 0; i < N; i++) {
                double exact = op.apply(a.data[i], b.data[i], 0.2);
                String what = op + "(" + a.data[i] + ", " + b.data[i] + ") = " + out.data[i] + ", exact " + exact;
                switch (op) {
                    // absolute accuracy, as PyTorch's float32 log(1 + exp(.)) and sigmoid(x) - y
                    case BCE_WITH_LOGITS -> assertTrue(Math.abs(out.data[i] - exact)
                            <= 2e-7 + FLOAT_EPS * (Math.abs(a.data[i]) + Math.abs(a.data[i] * b.data[i])), what);
                    case BCE_WITH_LOGITS_BACKWARD -> assertTrue(Math.abs(out.data[i] - exact)
                            <= 2e-7 + FLOAT_EPS * (1 + Math.abs(b.data[i])), what);
                    // float arithmetic: rounding relative to the size of the terms
                    case TANH_BACKWARD -> assertTrue(Math.abs(out.data[i] - exact)
                            <= FLOAT_EPS * Math.abs(a.data[i]) * (1 + b.data[i] * b.data[i]), what);
                    case SIGMOID_BACKWARD -> assertTrue(Math.abs(out.data[i] - exact)
                            <= FLOAT_EPS * Math.abs(a.data[i] * b.data[i]) * (1 + Math.abs(b.data[i])), what);
                    case DIV -> assertTrue(b.data[i] == 0 ? Float.isInfinite(out.data[i]) : ulps(exact, out.data[i]) <= 1, what);
                    default -> assertTrue(ulps(exact, out.data[i]) <= 1, what);
                }
            }
        }
    }
}
