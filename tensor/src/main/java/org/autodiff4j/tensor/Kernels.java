package org.autodiff4j.tensor;

/**
 * The tensor's own elementwise ops as {@link Elementwise} computations: each states its exact double
 * formula, and the hot ones a float32 loop the JIT vectorises. Those without a loop run the formula
 * in double and round once per element.
 */
final class Kernels {
    private Kernels() {
    }

    static final Elementwise NEG = Elementwise.unary(x -> -x, (o, x, from, to) -> {
        for (int i = from; i < to; i++) {
            o[i] = -x[i];
        }
    });
    static final Elementwise EXP = scalar(Math::exp, (o, x, from, to) -> {
        for (int i = from; i < to; i++) {
            o[i] = (float) Math.exp(x[i]);
        }
    });
    static final Elementwise LOG = Elementwise.unary(Math::log);
    static final Elementwise LOG1P = Elementwise.unary(Scalars::log1p);
    static final Elementwise SOFTPLUS = Elementwise.unary(Scalars::softplus);
    static final Elementwise TANH = Elementwise.unary(Scalars::tanh, (o, x, from, to) -> {
        for (int i = from; i < to; i++) {
            o[i] = FloatMath.tanh(x[i]);
        }
    });
    static final Elementwise RELU = Elementwise.unary(x -> x < 0 ? 0.0 : x, (o, x, from, to) -> {
        for (int i = from; i < to; i++) {
            o[i] = Math.max(x[i], 0f);
        }
    });
    static final Elementwise SQUARE = Elementwise.unary(x -> x * x, (o, x, from, to) -> {
        for (int i = from; i < to; i++) {
            o[i] = x[i] * x[i];
        }
    });
    static final Elementwise SQRT = Elementwise.unary(Math::sqrt, (o, x, from, to) -> {
        for (int i = from; i < to; i++) {
            o[i] = (float) Math.sqrt(x[i]);
        }
    });
    static final Elementwise ABS = Elementwise.unary(Math::abs, (o, x, from, to) -> {
        for (int i = from; i < to; i++) {
            o[i] = Math.abs(x[i]);
        }
    });
    static final Elementwise ADD = Elementwise.binary((a, b) -> a + b, (o, a, b, from, to) -> {
        for (int i = from; i < to; i++) {
            o[i] = a[i] + b[i];
        }
    });
    static final Elementwise SUB = Elementwise.binary((a, b) -> a - b, (o, a, b, from, to) -> {
        for (int i = from; i < to; i++) {
            o[i] = a[i] - b[i];
        }
    });
    static final Elementwise MUL = Elementwise.binary((a, b) -> a * b, (o, a, b, from, to) -> {
        for (int i = from; i < to; i++) {
            o[i] = a[i] * b[i];
        }
    });
    static final Elementwise DIV = Elementwise.binary((a, b) -> a / b, (o, a, b, from, to) -> {
        for (int i = from; i < to; i++) {
            o[i] = a[i] / b[i];
        }
    });

    /**
     * The logistic sigmoid. NOTE: exp-based in double, not tanh-based: keeps full relative accuracy for
     * sigmoid(-20) = 2e-9, which log-likelihoods of sigmoid outputs need.
     */
    static final Elementwise SIGMOID = scalar(Scalars::sigmoid, (o, x, from, to) -> {
        for (int i = from; i < to; i++) {
            o[i] = (float) (1.0 / (1.0 + Math.exp(-(double) x[i])));
        }
    });

    /** A function of one tensor whose float32 loop calls {@code Math.exp}: worth a thread at the smaller grain. */
    private static Elementwise scalar(java.util.function.DoubleUnaryOperator exact, Elementwise.FloatLoop1 f32) {
        Elementwise vectorised = Elementwise.unary(exact, f32);
        return new Elementwise() {
            @Override
            public void at(double[] v) {
                vectorised.at(v);
            }

            @Override
            public boolean f32(float[][] a, int from, int to) {
                return vectorised.f32(a, from, to);
            }
        };
    }

    /** {@code scale x + shift}. */
    static Elementwise affine(double scale, double shift) {
        float s = (float) scale;
        float t = (float) shift;
        return Elementwise.unary(x -> scale * x + shift, (o, x, from, to) -> {
            for (int i = from; i < to; i++) {
                o[i] = s * x[i] + t;
            }
        });
    }

    /** x for x >= 0, slope x below; as {@code max(x, slope x)} in float32 when the slope is in [0, 1]. */
    static Elementwise leakyRelu(double slope) {
        if (!(slope >= 0 && slope <= 1)) {
            return Elementwise.unary(x -> x < 0 ? slope * x : x);
        }
        float s = (float) slope;
        return Elementwise.unary(x -> x < 0 ? slope * x : x, (o, x, from, to) -> {
            for (int i = from; i < to; i++) {
                o[i] = Math.max(x[i], s * x[i]);
            }
        });
    }

    /** Each element limited to [lo, hi]. */
    static Elementwise clamp(double lo, double hi) {
        float l = (float) lo;
        float h = (float) hi;
        return Elementwise.unary(x -> x < lo ? lo : (x > hi ? hi : x), (o, x, from, to) -> {
            for (int i = from; i < to; i++) {
                o[i] = Math.max(l, Math.min(h, x[i]));
            }
        });
    }

    /** x^p. */
    static Elementwise pow(double p) {
        return Elementwise.unary(x -> Math.pow(x, p));
    }
}
