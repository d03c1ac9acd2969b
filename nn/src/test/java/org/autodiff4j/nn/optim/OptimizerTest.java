package org.autodiff4j.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Elementwise;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Each optimiser's first two steps against updates computed by hand from the published formulas. */
class OptimizerTest {
    private static final double[] P0 = {1.0, -2.0};
    private static final double[][] GRADS = {{0.5, -1.0}, {-0.25, 2.0}};

    private static Variable param() {
        return Variable.parameter(Tensor.of(P0, 2));
    }

    /** Runs two steps, setting the gradient by hand, and returns the parameter values. */
    private static double[] twoSteps(Optimizer opt, Variable p) {
        for (double[] g : GRADS) {
            opt.zeroGrad();
            Variable.constant(Tensor.of(g, 2)).mul(p).sum().backward();
            opt.step();
        }
        return p.value().toDoubleArray();
    }

    @Test
    void sgd_plain() {
        Variable p = param();
        double lr = 0.1;
        double[] expected = new double[2];
        for (int i = 0; i < 2; i++) {
            expected[i] = P0[i] - lr * GRADS[0][i] - lr * GRADS[1][i];
        }
        assertArrayEquals(expected, twoSteps(new Sgd(List.of(p), lr), p), 1e-15);
    }

    @Test
    void sgd_momentumNesterovWeightDecay() {
        double lr = 0.1;
        double mu = 0.9;
        double wd = 0.01;
        for (boolean nesterov : new boolean[] {false, true}) {
            Variable p = param();
            double[] expected = new double[2];
            for (int i = 0; i < 2; i++) {
                double x = P0[i];
                double g1 = GRADS[0][i] + wd * x;
                double v1 = g1;
                x -= lr * (nesterov ? g1 + mu * v1 : v1);
                double g2 = GRADS[1][i] + wd * x;
                double v2 = mu * v1 + g2;
                x -= lr * (nesterov ? g2 + mu * v2 : v2);
                expected[i] = x;
            }
            Sgd sgd = new Sgd(Map.of("p", p), lr, mu, nesterov, wd);
            assertArrayEquals(expected, twoSteps(sgd, p), 1e-15, "nesterov=" + nesterov);
        }
    }

    @Test
    void adam_biasCorrectedSteps() {
        double lr = 0.01;
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        Variable p = param();
        double[] expected = new double[2];
        for (int i = 0; i < 2; i++) {
            double x = P0[i];
            double m = 0;
            double v = 0;
            for (int t = 1; t <= 2; t++) {
                double g = GRADS[t - 1][i];
                m = b1 * m + (1 - b1) * g;
                v = b2 * v + (1 - b2) * g * g;
                double mHat = m / (1 - Math.pow(b1, t));
                double vHat = v / (1 - Math.pow(b2, t));
                x -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
            expected[i] = x;
        }
        Adam adam = new Adam(List.of(p), lr);
        assertArrayEquals(expected, twoSteps(adam, p), 1e-12);
        assertEquals(2, adam.steps());
    }

    @Test
    void adam_float32StepsAgreeWithFloat64_overAParameterSplitOverThreads() {
        int n = 1 << 18;
        Generator g = new Generator(3);
        Tensor p0 = Tensor.uniform(g, -5, 5, DType.FLOAT64, n);
        Variable p64 = Variable.parameter(p0.copy());
        Variable p32 = Variable.parameter(p0.to(DType.FLOAT32));
        Adam a64 = new Adam(Map.of("w", p64), 0.01, 0.9, 0.999, 1e-8, 0.01);
        Adam a32 = new Adam(Map.of("w", p32), 0.01, 0.9, 0.999, 1e-8, 0.01);
        // gradients clear of 0 (|g| in [0.5, 1.5], weight decay adding at most 0.05): each step's direction
        // m / sqrt(v) is well conditioned, so both precisions must agree closely
        Tensor u = Tensor.uniform(g, 0.5, 1.5, DType.FLOAT64, n);
        Tensor grad = u.mul(Tensor.uniform(g, -1, 1, DType.FLOAT64, n).map(Elementwise.unary(Math::signum)));
        for (int t = 0; t < 3; t++) {
            for (Variable p : List.of(p64, p32)) {
                p.zeroGrad();
                Variable.constant(grad.to(p.dtype())).mul(p).sum().backward();
            }
            a64.step();
            a32.step();
        }
        assertEquals(DType.FLOAT32, p32.value().dtype());
        assertTrue(p32.value().allClose(p64.value(), 1e-5, 1e-6), "float32 and float64 Adam differ");
        assertTrue(!p64.value().allClose(p0, 1e-3, 1e-3), "the steps moved the parameter");
    }

    @Test
    void adam_firstStepMovesEachWeightByLearningRate() {
        Variable p = param();
        Adam adam = new Adam(List.of(p), 0.001);
        Variable.constant(Tensor.of(new double[] {3.0, -0.001}, 2)).mul(p).sum().backward();
        adam.step();
        assertArrayEquals(new double[] {1.0 - 0.001, -2.0 + 0.001}, p.value().toDoubleArray(), 1e-8);
    }

    @Test
    void step_skipsParametersWithoutGradient() {
        Variable p = param();
        Variable q = param();
        Adam adam = new Adam(List.of(p, q), 0.1);
        p.mul(2.0).sum().backward();
        adam.step();
        assertNull(q.grad());
        assertArrayEquals(P0, q.value().toDoubleArray());
    }

    @Test
    void clipGradNorm_scalesToMaxNorm() {
        Variable p = param();
        Variable.constant(Tensor.of(new double[] {3, 4}, 2)).mul(p).sum().backward();
        double norm = Optimizer.clipGradNorm(List.of(p), 1.0);
        assertEquals(5.0, norm, 1e-12);
        assertArrayEquals(new double[] {0.6, 0.8}, p.grad().toDoubleArray(), 1e-6);
    }

    @Test
    void schedules_andBadHyperParameters() {
        assertEquals(0.25, LearningRateSchedule.step(10, 0.5).rate(25, 1.0));
        assertEquals(0.81, LearningRateSchedule.exponential(0.9).rate(2, 1.0), 1e-15);
        assertEquals(0.5, LearningRateSchedule.warmup(4).rate(1, 1.0));
        assertEquals(1.0, LearningRateSchedule.warmup(4).rate(9, 1.0));
        assertEquals(0.75 * 0.5, LearningRateSchedule.warmup(4).andThen(LearningRateSchedule.step(2, 0.5)).rate(2, 1.0));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.warmup(0));
        assertThrows(IllegalArgumentException.class, () -> new Adam(Map.of(), 0.1, 1.0, 0.9, 1e-8, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(Map.of(), 0.1, 0, true, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(), Double.NaN));
    }

    @Test
    void scheduler_setsTheRateFromTheOptimisersRateWhenMade() {
        Sgd sgd = new Sgd(List.of(param()), 0.2);
        Scheduler s = Scheduler.perEpoch(sgd, LearningRateSchedule.step(2, 0.1));
        s.apply(3);
        assertEquals(0.2 * 0.1, sgd.learningRate(), 1e-15);
        s.apply(0);
        assertEquals(0.2, sgd.learningRate());
        assertEquals(Scheduler.Unit.EPOCH, s.unit());
        assertEquals(0.2, s.baseRate());
    }

    @Test
    void adamState_roundTripsAndContinuesIdentically() {
        Variable p = param();
        Adam a = new Adam(List.of(p), 0.05);
        twoSteps(a, p);
        Variable q = Variable.parameter(p.value().copy());
        Adam b = new Adam(List.of(q), 0.05);
        b.loadState(a.state());
        double[] pa = twoSteps(a, p);
        double[] pb = twoSteps(b, q);
        assertArrayEquals(pa, pb, 0.0);
    }

    @Test
    void adamState_withANegativeSecondMomentOrABadStep_isRejectedByName() {
        Variable p = param();
        Adam a = new Adam(List.of(p), 0.05);
        twoSteps(a, p);
        Map<String, Tensor> state = new java.util.HashMap<>(a.state());
        String sq = state.keySet().stream().filter(k -> k.startsWith("exp_avg_sq.")).findFirst().orElseThrow();
        state.put(sq, state.get(sq).copy().puti(1, -1e-3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(param()), 0.05)
                .loadState(state));
        assertEquals("Adam state: " + sq + " holds -0.001 at element 1; second moments are never negative", e.getMessage());
        for (double step : new double[] {-1, 2.5, Double.NaN}) {
            Map<String, Tensor> s2 = new java.util.HashMap<>(a.state());
            s2.put("step", Tensor.scalar(step, DType.FLOAT64));
            IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                    () -> new Adam(List.of(param()), 0.05).loadState(s2));
            assertTrue(e2.getMessage().startsWith("Adam state: step must be a whole number >= 0"), e2.getMessage());
        }
    }
}
