package org.autodiff4j.tensor;

/**
 * The elementwise functions of one tensor that have their own loops in the storage backends. Each
 * states its exact formula in double precision ({@link #apply}); float32 storage runs dedicated,
 * JIT-vectorisable loops for the hot ones ({@link F32Kernels}) and this formula for the rest.
 * {@code p} and {@code q} are the op's constants (slope, exponent, bounds, scale and shift).
 */
enum UnaryOp {
    NEG, EXP, LOG, LOG1P, TANH, SIGMOID, RELU, LEAKY_RELU, SOFTPLUS, SQUARE, SQRT, POW, ABS, CLAMP, AFFINE;

    /** The exact value of this function at {@code x}, in double precision. */
    double apply(double x, double p, double q) {
        return switch (this) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case LOG1P -> Scalars.log1p(x);
            case TANH -> Scalars.tanh(x);
            case SIGMOID -> Scalars.sigmoid(x);
            case RELU -> x < 0 ? 0.0 : x;
            case LEAKY_RELU -> x < 0 ? p * x : x;
            case SOFTPLUS -> Scalars.softplus(x);
            case SQUARE -> x * x;
            case SQRT -> Math.sqrt(x);
            case POW -> Math.pow(x, p);
            case ABS -> Math.abs(x);
            case CLAMP -> x < p ? p : (x > q ? q : x);
            case AFFINE -> p * x + q;
        };
    }

    /** Whether the float32 loop is plain arithmetic the JIT vectorises (cheap per element). */
    boolean vectorised() {
        return switch (this) {
            case NEG, TANH, RELU, LEAKY_RELU, SQUARE, SQRT, ABS, CLAMP, AFFINE -> true;
            default -> false;
        };
    }
}
