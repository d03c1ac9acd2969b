package org.autodiff4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

/** The fast scalar functions against StrictMath, in ulps of the exact result. */
class ScalarsTest {
    private static final double MAX_ULPS = 4;

    private static void assertUlps(double expected, double actual, double x, String f) {
        double ulps = expected == actual ? 0 : Math.abs(expected - actual) / Math.ulp(expected);
        assertTrue(ulps <= MAX_ULPS, f + "(" + x + ") = " + actual + ", StrictMath gives " + expected + " (" + ulps + " ulps)");
    }

    /** Values spread over many magnitudes: sign * 10^e with e uniform in [-12, 2]. */
    private static double spread(double exponent, boolean negative) {
        double v = Math.pow(10, exponent);
        return negative ? -v : v;
    }

    @Property(tries = 3000)
    void tanh_withinFourUlps(@ForAll @DoubleRange(min = -12, max = 1.6) double e, @ForAll boolean negative) {
        double x = spread(e, negative);
        assertUlps(StrictMath.tanh(x), Scalars.tanh(x), x, "tanh");
    }

    @Property(tries = 3000)
    void log1p_withinFourUlps(@ForAll @DoubleRange(min = -12, max = 2) double e, @ForAll boolean negative) {
        double x = negative ? -Math.min(0.999, Math.pow(10, e)) : Math.pow(10, e);
        assertUlps(StrictMath.log1p(x), Scalars.log1p(x), x, "log1p");
    }

    @Property(tries = 3000)
    void expm1_withinFourUlps(@ForAll @DoubleRange(min = -12, max = 2) double e, @ForAll boolean negative) {
        double x = spread(e, negative);
        assertUlps(StrictMath.expm1(x), Scalars.expm1(x), x, "expm1");
    }

    @Test
    void edges_matchStrictMath() {
        assertEquals(1.0, Scalars.tanh(1000));
        assertEquals(-1.0, Scalars.tanh(-1e300));
        assertEquals(0.0, Scalars.tanh(0.0));
        assertEquals(Double.NEGATIVE_INFINITY, Scalars.log1p(-1.0));
        assertTrue(Double.isNaN(Scalars.log1p(-2.0)));
        assertEquals(Double.POSITIVE_INFINITY, Scalars.expm1(1000));
        assertEquals(-1.0, Scalars.expm1(-1000));
        assertTrue(Double.isNaN(Scalars.tanh(Double.NaN)));
        assertEquals(1e-300, Scalars.log1p(1e-300));
    }
}
