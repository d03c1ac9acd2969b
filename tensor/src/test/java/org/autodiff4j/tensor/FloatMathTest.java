package org.autodiff4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The float32 forms of {@link FloatMath} against exact values. */
class FloatMathTest {

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
        for (int i = 0; i < x.length; i++) {
            y[i] = FloatMath.tanh(x[i]);
        }
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, ulps(StrictMath.tanh(x[i]), y[i]));
        }
        assertTrue(worst <= 7, "worst " + worst + " ulps");
        assertEquals(1f, FloatMath.tanh(1e30f));
        assertEquals(-1f, FloatMath.tanh(Float.NEGATIVE_INFINITY));
        assertEquals(1e-30f, FloatMath.tanh(1e-30f));
        assertTrue(Float.isNaN(FloatMath.tanh(Float.NaN)));
    }

    @Test
    void softplusTail_withinTwoTenthsOfAMillionthAndZeroFarOut() {
        float[] x = floatsUpTo(40f, 997);
        double worst = 0;
        for (float v : x) {
            worst = Math.max(worst, Math.abs(FloatMath.log1pExpNegAbs(v) - Math.log1p(Math.exp(-Math.abs((double) v)))));
        }
        assertTrue(worst <= 2e-7, "worst absolute error " + worst);
        assertEquals(0f, FloatMath.log1pExpNegAbs(17f));
        assertEquals(0f, FloatMath.log1pExpNegAbs(-1000f));
        assertEquals(0f, FloatMath.log1pExpNegAbs(Float.POSITIVE_INFINITY));
    }

    @Test
    void step_isExactIncludingSubnormalsAndSignedZero() {
        assertEquals(1f, FloatMath.step(Float.MIN_VALUE));
        assertEquals(1f, FloatMath.step(Float.MAX_VALUE));
        assertEquals(1f, FloatMath.step(Float.POSITIVE_INFINITY));
        assertEquals(0f, FloatMath.step(0f));
        assertEquals(0f, FloatMath.step(-0f));
        assertEquals(0f, FloatMath.step(-Float.MIN_VALUE));
        assertEquals(0f, FloatMath.step(Float.NEGATIVE_INFINITY));
    }
}
