package org.autodiff4j.tensor;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * One elementwise computation over operands of one shape: the single mechanism behind every
 * elementwise op, the tensor's own ({@code add}, {@code tanh}), an op's backward rule and an
 * optimiser's update alike. {@link Tensor#map} runs it into a new tensor and {@link Tensor#mapi} in
 * place, split over threads for large tensors.
 *
 * <p>Operands are numbered: in {@code a.map(f, b, c)} operand 0 is the new output, 1 is {@code a},
 * 2 is {@code b}, 3 is {@code c}; {@code a.mapi(f, b, c)} numbers them the same way with {@code a}
 * itself as the output (operand 0; operand 1 holds its values before the call, and in float32 both
 * are the same array), so one computation serves both. {@link #at} states the computation at one element in
 * double precision; it is what float64 runs, and what float32 runs (rounding each written value once)
 * unless {@link #f32} supplies a loop of its own.
 */
@FunctionalInterface
public interface Elementwise {

    /**
     * The computation at one element: {@code v[k]} holds operand k's element on entry; the computation
     * stores the result in {@code v[0]} and, in place ({@link Tensor#mapi}), may also store new values
     * of operands from 2 on (an optimiser's moment buffers): every element it changes is written back.
     *
     * @param v one element of each operand, in operand order
     */
    void at(double[] v);

    /**
     * An optional float32 loop over elements {@code [from, to)} of the operands' arrays, used instead
     * of {@link #at} when it returns true; the default has none.
     *
     * @param a the operands' arrays, in operand order
     * @param from the first element
     * @param to one past the last element
     * @return whether this loop did the work
     */
    default boolean f32(float[][] a, int from, int to) {
        return false;
    }

    /**
     * Whether the float32 loop is plain arithmetic the JIT vectorises, which sets how many elements
     * are worth a thread of their own (exp- and log-based ones are worth one much sooner).
     *
     * @return whether the float32 loop is cheap per element
     */
    default boolean vectorised() {
        return false;
    }

    /** A float32 loop of one input: {@code out[i] = f(x[i])} for i in {@code [from, to)}. */
    @FunctionalInterface
    interface FloatLoop1 {
        /**
         * Runs the loop.
         *
         * @param out the output
         * @param x the input
         * @param from the first element
         * @param to one past the last element
         */
        void run(float[] out, float[] x, int from, int to);
    }

    /** A float32 loop of two inputs: {@code out[i] = f(a[i], b[i])} for i in {@code [from, to)}. */
    @FunctionalInterface
    interface FloatLoop2 {
        /**
         * Runs the loop.
         *
         * @param out the output
         * @param a the first input
         * @param b the second input
         * @param from the first element
         * @param to one past the last element
         */
        void run(float[] out, float[] a, float[] b, int from, int to);
    }

    /**
     * {@code out = f(x)} from a double formula, for {@code x.map(...)}.
     *
     * @param f the formula
     * @return the computation
     */
    static Elementwise unary(DoubleUnaryOperator f) {
        return v -> v[0] = f.applyAsDouble(v[1]);
    }

    /**
     * {@code out = f(a, b)} from a double formula, for {@code a.map(..., b)}.
     *
     * @param f the formula
     * @return the computation
     */
    static Elementwise binary(DoubleBinaryOperator f) {
        return v -> v[0] = f.applyAsDouble(v[1], v[2]);
    }

    /**
     * {@code out = f(x)}: the exact double formula and a float32 loop of plain arithmetic that the JIT
     * vectorises (no calls but to small static methods, no branches but {@code min}/{@code max}).
     *
     * @param exact the formula in double precision
     * @param f32 the float32 loop
     * @return the computation
     */
    static Elementwise unary(DoubleUnaryOperator exact, FloatLoop1 f32) {
        return new Elementwise() {
            @Override
            public void at(double[] v) {
                v[0] = exact.applyAsDouble(v[1]);
            }

            @Override
            public boolean f32(float[][] a, int from, int to) {
                f32.run(a[0], a[1], from, to);
                return true;
            }

            @Override
            public boolean vectorised() {
                return true;
            }
        };
    }

    /**
     * {@code out = f(a, b)}: the exact double formula and a vectorisable float32 loop, as
     * {@link #unary(DoubleUnaryOperator, FloatLoop1)}.
     *
     * @param exact the formula in double precision
     * @param f32 the float32 loop
     * @return the computation
     */
    static Elementwise binary(DoubleBinaryOperator exact, FloatLoop2 f32) {
        return new Elementwise() {
            @Override
            public void at(double[] v) {
                v[0] = exact.applyAsDouble(v[1], v[2]);
            }

            @Override
            public boolean f32(float[][] a, int from, int to) {
                f32.run(a[0], a[1], a[2], from, to);
                return true;
            }

            @Override
            public boolean vectorised() {
                return true;
            }
        };
    }
}
