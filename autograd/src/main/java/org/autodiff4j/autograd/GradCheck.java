package org.autodiff4j.autograd;

import java.util.Arrays;
import java.util.function.Function;

import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/**
 * Compares the gradients that backward computes with numerical ones, like PyTorch's
 * {@code gradcheck}: usable on any function of variables. The inputs are converted to FLOAT64; the
 * function's output {@code f} is contracted with a random upstream gradient {@code u} to the scalar
 * {@code L = sum(f * u)}, so transposition and broadcasting bugs cannot hide behind a gradient of
 * ones; each input element's derivative of L is estimated by the fourth-order central difference
 * {@code (8 (L(x+h) - L(x-h)) - (L(x+2h) - L(x-2h))) / 12h}.
 *
 * <p>The error of one element is {@code |analytic - numeric| / max(|analytic|, |numeric|, floor)}:
 * relative, except that gradients below {@code floor} in magnitude are compared absolutely.
 */
public final class GradCheck {
    /** Default finite-difference step. */
    public static final double DEFAULT_STEP = 1e-4;
    /** Default magnitude below which errors are measured absolutely. */
    public static final double DEFAULT_FLOOR = 1e-3;

    private GradCheck() {
    }

    /**
     * The worst element over all inputs.
     *
     * @param error    its relative error (0 when every gradient matches exactly)
     * @param input    which input it belongs to
     * @param index    its row-major flat index in that input
     * @param analytic the gradient from backward
     * @param numeric  the finite-difference gradient
     */
    public record Result(double error, int input, int index, double analytic, double numeric) {
        /**
         * True when the worst error is at most {@code tolerance}.
         *
         * @param tolerance the largest error allowed
         * @return true when the worst error is at most {@code tolerance}
         */
        public boolean passes(double tolerance) {
            return error <= tolerance;
        }

        @Override
        public String toString() {
            return String.format("worst relative error %.3g at input %d, flat index %d: analytic %.17g, numeric %.17g",
                    error, input, index, analytic, numeric);
        }
    }

    /**
     * Checks {@code f} at {@code inputs} with the default step and floor; the upstream gradient is drawn from {@code g}.
     *
     * @param f the function to check, of the inputs as variables
     * @param g the generator that draws the upstream gradient
     * @param inputs the point at which the gradients are checked (converted to FLOAT64)
     * @return the worst element's analytic and numeric gradients and their error
     */
    public static Result check(Function<Variable[], Variable> f, Generator g, Tensor... inputs) {
        return check(f, g, DEFAULT_STEP, DEFAULT_FLOOR, inputs);
    }

    /**
     * Checks {@code f} at {@code inputs} with the given finite-difference step and error floor.
     *
     * @param f the function to check, of the inputs as variables
     * @param g the generator that draws the upstream gradient
     * @param step the finite-difference step
     * @param floor the smallest denominator of the relative error
     * @param inputs the point at which the gradients are checked (converted to FLOAT64)
     * @return the worst element's analytic and numeric gradients and their error
     */
    public static Result check(Function<Variable[], Variable> f, Generator g, double step, double floor,
                               Tensor... inputs) {
        Tensor[] x = new Tensor[inputs.length];
        Variable[] vars = float64Parameters(inputs, x);
        Variable out = f.apply(vars);
        Tensor upstream = Tensor.randn(g, DType.FLOAT64, out.shape().dims());
        if (out.requiresGrad()) {
            out.backward(upstream);
        }
        return worst(x, vars, floor, (i, j) -> centralDifference(x, i, j, step, () -> contracted(f, x, upstream)));
    }

    /**
     * Checks {@code f} and throws an AssertionError describing the worst element when its error
     * exceeds {@code tolerance}.
     *
     * @param f the function to check, of the inputs as variables
     * @param g the generator that draws the upstream gradient
     * @param tolerance the largest error allowed
     * @param inputs the point at which the gradients are checked (converted to FLOAT64)
     */
    public static void assertGradients(Function<Variable[], Variable> f, Generator g, double tolerance,
                                       Tensor... inputs) {
        require(check(f, g, inputs), "gradient check", tolerance, inputs);
    }

    /**
     * The second-order check (PyTorch's {@code gradgradcheck}): for a random upstream gradient {@code u} and
     * random directions {@code v}, the Hessian-vector product {@code d/dx <grad(<f(x), u>, x), v>} computed by
     * differentiating the recorded gradients ({@link Autograd#grad} with {@code createGraph}) against central
     * differences of the first-order gradients; FLOAT64, the same error measure as {@link #check}.
     *
     * @param f the function of the inputs
     * @param g the generator for the upstream gradient and the directions
     * @param inputs the point to check at (converted to FLOAT64 copies)
     * @return the worst element
     */
    public static Result checkSecondOrder(Function<Variable[], Variable> f, Generator g, Tensor... inputs) {
        Tensor[] x = new Tensor[inputs.length];
        Variable[] vars = float64Parameters(inputs, x);
        Variable out = f.apply(vars);
        Tensor upstream = Tensor.randn(g, DType.FLOAT64, out.shape().dims());
        Tensor[] directions = new Tensor[x.length];
        for (int i = 0; i < x.length; i++) {
            directions[i] = Tensor.randn(g, DType.FLOAT64, x[i].shape().dims());
        }
        if (out.requiresGrad()) {
            Variable[] grads = Autograd.grad(out, upstream, vars, true, true);
            Variable contracted = contract(grads, directions);
            if (contracted.requiresGrad()) {
                contracted.backward();
            }
        }
        return worst(x, vars, DEFAULT_FLOOR,
                (i, j) -> centralDifference(x, i, j, DEFAULT_STEP, () -> firstOrderContracted(f, x, upstream, directions)));
    }

    /**
     * {@link #checkSecondOrder} as an assertion.
     *
     * @param f the function of the inputs
     * @param g the generator for the upstream gradient and the directions
     * @param tolerance the largest relative error allowed
     * @param inputs the point to check at
     * @throws AssertionError naming the worst element when the check fails
     */
    public static void assertSecondOrder(Function<Variable[], Variable> f, Generator g, double tolerance,
                                         Tensor... inputs) {
        require(checkSecondOrder(f, g, inputs), "second-order check", tolerance, inputs);
    }

    /** {@code sum_k <grads_k, directions_k>}. */
    private static Variable contract(Variable[] grads, Tensor[] directions) {
        Variable sum = null;
        for (int k = 0; k < grads.length; k++) {
            Variable term = grads[k].mul(Variable.constant(directions[k])).sum();
            sum = sum == null ? term : sum.add(term);
        }
        return sum;
    }

    /** {@code <grad(<f(x), upstream>, x), directions>} by a first-order backward pass at the current x. */
    private static double firstOrderContracted(Function<Variable[], Variable> f, Tensor[] x, Tensor upstream,
                                               Tensor[] directions) {
        Variable[] vars = new Variable[x.length];
        for (int k = 0; k < x.length; k++) {
            vars[k] = Variable.parameter(x[k]);
        }
        Variable out = f.apply(vars);
        if (!out.requiresGrad()) {
            return 0.0;
        }
        Variable[] grads = Autograd.grad(out, upstream, vars, false, false);
        return contract(grads, directions).item();
    }

    /** Parameters over FLOAT64 copies of the inputs, which go into {@code x}. */
    private static Variable[] float64Parameters(Tensor[] inputs, Tensor[] x) {
        Variable[] vars = new Variable[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            x[i] = inputs[i].to(DType.FLOAT64).copy();
            vars[i] = Variable.parameter(x[i]);
        }
        return vars;
    }

    /** The numeric derivative in element j of input i. */
    @FunctionalInterface
    private interface Numeric {
        double at(int i, int j);
    }

    /** The worst element: each input's {@code grad()} against {@code numeric}, relative to at least {@code floor}. */
    private static Result worst(Tensor[] x, Variable[] vars, double floor, Numeric numeric) {
        Result worst = new Result(0.0, 0, 0, 0.0, 0.0);
        for (int i = 0; i < x.length; i++) {
            Tensor analytic = vars[i].grad();
            for (int j = 0; j < x[i].size(); j++) {
                double a = analytic == null ? 0.0 : analytic.getFlat(j);
                double n = numeric.at(i, j);
                double err = Math.abs(a - n) / Math.max(Math.max(Math.abs(a), Math.abs(n)), floor);
                if (!(err <= worst.error)) {
                    worst = new Result(Double.isNaN(err) ? Double.POSITIVE_INFINITY : err, i, j, a, n);
                }
            }
        }
        return worst;
    }

    private static void require(Result r, String what, double tolerance, Tensor[] inputs) {
        if (!r.passes(tolerance)) {
            String shapes = Arrays.stream(inputs).map(t -> t.shape().toString()).reduce((p, q) -> p + ", " + q).orElse("");
            throw new AssertionError(what + " failed (tolerance " + tolerance + ", inputs " + shapes + "): " + r);
        }
    }

    /** d phi / d x[i][j] by a fourth-order central difference (step relative to the element's size); x is restored. */
    private static double centralDifference(Tensor[] x, int i, int j, double step, java.util.function.DoubleSupplier phi) {
        double x0 = x[i].getFlat(j);
        double h = step * Math.max(1.0, Math.abs(x0));
        double[] at = new double[4];
        double[] offsets = {h, -h, 2 * h, -2 * h};
        for (int k = 0; k < 4; k++) {
            x[i].puti(j, x0 + offsets[k]);
            at[k] = phi.getAsDouble();
        }
        x[i].puti(j, x0);
        return (8.0 * (at[0] - at[1]) - (at[2] - at[3])) / (12.0 * h);
    }

    /** {@code sum(f(x) * upstream)} at the current x, recording no graph. */
    private static double contracted(Function<Variable[], Variable> f, Tensor[] x, Tensor upstream) {
        Variable[] vars = new Variable[x.length];
        for (int k = 0; k < x.length; k++) {
            vars[k] = Variable.constant(x[k]);
        }
        try (NoGrad ignored = NoGrad.enter()) {
            return f.apply(vars).value().mul(upstream).sum().item();
        }
    }
}
