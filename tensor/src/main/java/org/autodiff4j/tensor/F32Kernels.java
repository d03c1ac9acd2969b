package org.autodiff4j.tensor;

/**
 * The float32 loops of the hot elementwise ops: straight-line float arithmetic (no calls, no
 * branches but min/max) that C2 compiles to SIMD, over {@code [from, to)}.
 * NOTE: tanh here is a rational form, 40x faster than the exp-based double one on 128x500
 * (ElementwiseBenchmark: 914 us before, 23 us) and within 7 ulps of the exact value over every float
 * (measured: 6.2 ulps at most, near |x| = 4.9; F32KernelsTest bounds it). The binary cross-entropy's
 * {@code log(1 + e^-|x|)} is a rational form too, within 2e-7 absolutely, as accurate as PyTorch's
 * float32 {@code log(1 + exp(.))}.
 */
final class F32Kernels {
    private F32Kernels() {
    }

    // tanh(x) = x P(x^2) / Q(x^2) on |x| <= 9.1, where tanh(9.1) rounds to 1 in float32. Fitted by
    // iteratively reweighted least squares on the relative error (max 2.3e-8 in exact arithmetic).
    private static final float TANH_CLAMP = 9.1f;
    private static final float TP0 = 0.9999999773064118f;
    private static final float TP1 = 0.13374503781601713f;
    private static final float TP2 = 0.003487844454465411f;
    private static final float TP3 = 2.0481715052945385e-05f;
    private static final float TP4 = 1.3178214436360136e-08f;
    private static final float TQ1 = 0.46707817594638223f;
    private static final float TQ2 = 0.0258475170862116f;
    private static final float TQ3 = 0.00032729738902342046f;
    private static final float TQ4 = 7.704337861395849e-07f;

    // log(1 + e^-a) = P(a) / Q(a) on 0 <= a < 17, fitted like tanh's on the absolute error (1.8e-8 in
    // exact arithmetic); from 17 on (where the value is below 4.2e-8) it is 0, as in float32 log1p(e^-a).
    private static final float SOFTPLUS_CLAMP = 17f;
    private static final float SP0 = 0.6931471636892385f;
    private static final float SP1 = -0.21381184874061074f;
    private static final float SP2 = 0.027125262278589114f;
    private static final float SP3 = -0.0017630986593541488f;
    private static final float SP4 = 5.849801323103837e-05f;
    private static final float SP5 = -7.896398485918166e-07f;
    private static final float SQ1 = 0.41288060697780576f;
    private static final float SQ2 = 0.1566444130772152f;
    private static final float SQ3 = 0.035921958051757324f;
    private static final float SQ4 = 0.0054127421121747295f;
    private static final float SQ5 = 0.0003442494821869514f;
    private static final float SQ6 = 8.533190750966736e-05f;

    /** tanh of one float by the rational form (for tests and the loops below). */
    static float tanh(float x) {
        float v = Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, x));
        float s = v * v;
        float num = ((((TP4 * s + TP3) * s + TP2) * s + TP1) * s + TP0) * v;
        float den = (((TQ4 * s + TQ3) * s + TQ2) * s + TQ1) * s + 1f;
        return num / den;
    }

    /** log(1 + e^-|x|) of one float by the rational form. */
    static float softplusTail(float x) {
        float ax = Math.abs(x);
        float a = Math.min(ax, SOFTPLUS_CLAMP);
        float num = ((((SP5 * a + SP4) * a + SP3) * a + SP2) * a + SP1) * a + SP0;
        float den = (((((SQ6 * a + SQ5) * a + SQ4) * a + SQ3) * a + SQ2) * a + SQ1) * a + 1f;
        return num / den * step(SOFTPLUS_CLAMP - ax);
    }

    /**
     * 1 for {@code x > 0}, else 0, exactly for every non-NaN float (the smallest subnormal times 2^252
     * is above 1) and without a branch, which the JIT does not vectorise.
     */
    static float step(float x) {
        return Math.min(1f, Math.max(0f, x * 0x1p126f * 0x1p126f));
    }

    static void tanh(float[] x, float[] o, int from, int to) {
        for (int i = from; i < to; i++) {
            o[i] = tanh(x[i]);
        }
    }

    static void sigmoid(float[] x, float[] o, int from, int to) {
        // NOTE: exp-based in double, not tanh-based: keeps full relative accuracy for sigmoid(-20) = 2e-9,
        // which log-likelihoods of sigmoid outputs need.
        for (int i = from; i < to; i++) {
            o[i] = (float) (1.0 / (1.0 + Math.exp(-(double) x[i])));
        }
    }

    static void exp(float[] x, float[] o, int from, int to) {
        for (int i = from; i < to; i++) {
            o[i] = (float) Math.exp(x[i]);
        }
    }

    static void relu(float[] x, float[] o, int from, int to) {
        for (int i = from; i < to; i++) {
            o[i] = Math.max(x[i], 0f);
        }
    }

    /** {@code max(x, slope x)}, which is leaky ReLU for a slope in [0, 1]. */
    static void leakyRelu(float[] x, float slope, float[] o, int from, int to) {
        for (int i = from; i < to; i++) {
            o[i] = Math.max(x[i], slope * x[i]);
        }
    }

    static void affine(float[] x, float scale, float shift, float[] o, int from, int to) {
        for (int i = from; i < to; i++) {
            o[i] = scale * x[i] + shift;
        }
    }

    static void square(float[] x, float[] o, int from, int to) {
        for (int i = from; i < to; i++) {
            o[i] = x[i] * x[i];
        }
    }

    static void sqrt(float[] x, float[] o, int from, int to) {
        for (int i = from; i < to; i++) {
            o[i] = (float) Math.sqrt(x[i]);
        }
    }

    static void abs(float[] x, float[] o, int from, int to) {
        for (int i = from; i < to; i++) {
            o[i] = Math.abs(x[i]);
        }
    }

    static void clamp(float[] x, float lo, float hi, float[] o, int from, int to) {
        for (int i = from; i < to; i++) {
            o[i] = Math.max(lo, Math.min(hi, x[i]));
        }
    }

    static void add(float[] a, float[] b, float[] o, int from, int to) {
        for (int i = from; i < to; i++) {
            o[i] = a[i] + b[i];
        }
    }

    static void sub(float[] a, float[] b, float[] o, int from, int to) {
        for (int i = from; i < to; i++) {
            o[i] = a[i] - b[i];
        }
    }

    static void mul(float[] a, float[] b, float[] o, int from, int to) {
        for (int i = from; i < to; i++) {
            o[i] = a[i] * b[i];
        }
    }

    static void div(float[] a, float[] b, float[] o, int from, int to) {
        for (int i = from; i < to; i++) {
            o[i] = a[i] / b[i];
        }
    }

    static void tanhBackward(float[] g, float[] y, float[] o, int from, int to) {
        for (int i = from; i < to; i++) {
            o[i] = g[i] * (1f - y[i] * y[i]);
        }
    }

    static void sigmoidBackward(float[] g, float[] y, float[] o, int from, int to) {
        for (int i = from; i < to; i++) {
            o[i] = g[i] * y[i] * (1f - y[i]);
        }
    }

    /** {@code g} where {@code x > 0}, else {@code slope g}, for a slope in [0, 1]. */
    static void leakyReluBackward(float[] g, float[] x, float slope, float[] o, int from, int to) {
        for (int i = from; i < to; i++) {
            o[i] = g[i] * Math.max(slope, step(x[i]));
        }
    }

    /** {@code max(x, 0) - x y + log(1 + e^-|x|)}. */
    static void bceWithLogits(float[] x, float[] y, float[] o, int from, int to) {
        for (int i = from; i < to; i++) {
            o[i] = Math.max(x[i], 0f) - x[i] * y[i] + softplusTail(x[i]);
        }
    }

    /** {@code sigmoid(x) - y} with {@code sigmoid(x) = (1 + tanh(x / 2)) / 2}: absolute error below 1e-7. */
    static void bceWithLogitsBackward(float[] x, float[] y, float[] o, int from, int to) {
        for (int i = from; i < to; i++) {
            o[i] = 0.5f + 0.5f * tanh(0.5f * x[i]) - y[i];
        }
    }
}
