package org.autodiff4j.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Elementwise;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The float32 loops of the ops' own kernels (activation backward rules, the fused binary
 * cross-entropy with logits) against their exact double formulas, on the same float inputs and over
 * enough elements to be split over threads.
 */
class Float32KernelsTest {
    private static final int N = 1 << 18;
    /** Three roundings' worth of float32 relative error. */
    private static final double FLOAT_EPS = 3 * 0x1p-24;

    private static Tensor uniform(long seed, double lo, double hi, boolean someZeros) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[N];
        for (int i = 0; i < N; i++) {
            x[i] = someZeros && i % 7 == 0 ? 0f : (float) r.nextDouble(lo, hi);
        }
        return Tensor.wrap(x, N);
    }

    /** The allowed error at one element, from the operands' values and the exact result. */
    private interface Bound {
        double at(double[] v, double exact);
    }

    private static void check(String name, Elementwise f, Bound bound, Tensor... inputs) {
        Tensor[] rest32 = Arrays.copyOfRange(inputs, 1, inputs.length);
        Tensor[] rest64 = Arrays.stream(rest32).map(t -> t.to(DType.FLOAT64)).toArray(Tensor[]::new);
        Tensor out = inputs[0].map(f, rest32);
        Tensor exact = inputs[0].to(DType.FLOAT64).map(f, rest64);
        double[] v = new double[inputs.length];
        for (int i = 0; i < N; i++) {
            for (int k = 0; k < inputs.length; k++) {
                v[k] = inputs[k].getFlat(i);
            }
            double e = exact.getFlat(i);
            double o = out.getFlat(i);
            assertTrue(Math.abs(o - e) <= bound.at(v, e), name + Arrays.toString(v) + " = " + o + ", exact " + e);
        }
    }

    @Test
    void activationBackwardRules_matchTheirFormulas() {
        Tensor g = uniform(1, -3, 3, false);
        Tensor y = uniform(2, -1, 1, true);
        Tensor x = uniform(3, -30, 30, true);
        check("tanhBackward", Tanh.BACKWARD, (v, e) -> FLOAT_EPS * Math.abs(v[0]) * (1 + v[1] * v[1]), g, y);
        check("sigmoidBackward", Sigmoid.BACKWARD,
                (v, e) -> FLOAT_EPS * Math.abs(v[0] * v[1]) * (1 + Math.abs(v[1])), g, y);
        for (double slope : new double[] {0, 0.2, 1, 1.5}) {
            check("leakyReluBackward" + slope, LeakyRelu.backward(slope), (v, e) -> FLOAT_EPS * Math.abs(e), g, x);
            check("leakyReluMask" + slope, LeakyRelu.mask(slope), (v, e) -> FLOAT_EPS * Math.abs(e), x);
        }
    }

    @Test
    void bceWithLogits_matchesItsFormulaToTwoTenthsOfAMillionth() {
        Tensor x = uniform(4, -30, 30, false);
        Tensor y = uniform(5, 0, 1, true);
        Tensor g = uniform(6, -3, 3, false);
        check("bceWithLogits", BinaryCrossEntropyWithLogits.FORWARD,
                (v, e) -> 2e-7 + FLOAT_EPS * (Math.abs(v[0]) + Math.abs(v[0] * v[1])), x, y);
        check("bceWithLogits.dx", BinaryCrossEntropyWithLogits.DX,
                (v, e) -> Math.abs(v[0]) * (2e-7 + FLOAT_EPS * (1 + Math.abs(v[2]))) + FLOAT_EPS * Math.abs(e), g, x, y);
    }
}
