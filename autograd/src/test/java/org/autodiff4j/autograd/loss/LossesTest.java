package org.autodiff4j.autograd.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LossesTest {
    private static Variable v(double... values) {
        return Variable.parameter(Tensor.of(values, values.length));
    }

    private static Variable c(double... values) {
        return Variable.constant(Tensor.of(values, values.length));
    }

    /** The design notes' KL values, second parameter the variance (exact: 0.028839 and 8.450694). */
    @Test
    void gaussianKl_matchesDesignNotes() {
        double kl1 = Losses.gaussianKl(c(0.2), c(Math.log(1.2)), Reduction.SUM).item();
        double kl2 = Losses.gaussianKl(c(4.0), c(Math.log(3.0)), Reduction.SUM).item();
        assertEquals(0.0288, kl1, 1e-4);
        assertEquals(8.4506, kl2, 1e-4);
        assertEquals(0.5 * (0.04 + 1.2 - 1 - Math.log(1.2)), kl1, 1e-15);
    }

    @Test
    void gaussianKl_betweenTwo_reducesToStandardCaseAndIsZeroForEqual() {
        double general = Losses.gaussianKl(c(4.0), c(Math.log(3.0)), c(0.0), c(0.0), Reduction.SUM).item();
        assertEquals(8.450694, general, 1e-6);
        assertEquals(0.0, Losses.gaussianKl(c(1.5), c(0.3), c(1.5), c(0.3), Reduction.SUM).item(), 1e-15);
        // KL(N(0,1) || N(1,4)) = log 2 + (1 + 1) / 8 - 1/2
        double kl = Losses.gaussianKl(c(0.0), c(0.0), c(1.0), c(Math.log(4)), Reduction.SUM).item();
        assertEquals(Math.log(2) + 0.25 - 0.5, kl, 1e-15);
    }

    @Test
    void bceWithLogits_isFiniteAtExtremeLogitsWithExactGradient() {
        for (DType dt : DType.values()) {
            Variable x = Variable.parameter(Tensor.of(dt, new double[] {-1000, 1000, -1000, 1000}, 4));
            Variable y = Variable.constant(Tensor.of(dt, new double[] {0, 1, 1, 0}, 4));
            Variable loss = Losses.bceWithLogits(x, y, Reduction.NONE);
            assertArrayEquals(new double[] {0, 0, 1000, 1000}, loss.value().toDoubleArray());
            loss.sum().backward();
            assertArrayEquals(new double[] {0, 0, -1, 1}, x.grad().toDoubleArray());
        }
    }

    @Test
    void bceWithLogits_equalsBceOfSigmoid() {
        Variable x = c(-3, -0.5, 0, 2);
        Variable y = c(0, 1, 0.3, 1);
        double a = Losses.bceWithLogits(x, y, Reduction.MEAN).item();
        double b = Losses.bce(x.sigmoid(), y, Reduction.MEAN).item();
        assertEquals(a, b, 1e-12);
    }

    @Test
    void bce_clampsLogsAndKeepsGradientFinite() {
        Variable p = v(0.0, 1.0, 0.0, 1.0);
        Variable y = c(0, 1, 1, 0);
        Variable loss = Losses.bce(p, y, Reduction.NONE);
        assertArrayEquals(new double[] {0, 0, 100, 100}, loss.value().toDoubleArray());
        loss.sum().backward();
        for (double g : p.grad().toDoubleArray()) {
            assertTrue(Double.isFinite(g));
        }
    }

    @Test
    void crossEntropy_matchesLogSumExpAndIsStable() {
        Variable logits = Variable.parameter(Tensor.of(new double[] {1, 2, 3, 1000, 0, -1000}, 2, 3));
        Variable ce = Losses.crossEntropy(logits, new int[] {2, 0}, Reduction.NONE);
        double lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
        assertArrayEquals(new double[] {lse - 3, 0.0}, ce.value().toDoubleArray(), 1e-12);
        ce.sum().backward();
        double[] g = logits.grad().toDoubleArray();
        assertEquals(Math.exp(3 - lse) - 1, g[2], 1e-12);
        assertEquals(0.0, g[3], 1e-12);
        assertEquals(1.0, Variable.constant(Tensor.of(new double[] {5, -3, 2}, 1, 3)).logSoftmax(1).exp().sum().item(), 1e-12);
    }

    @Test
    void gaussianNll_knownValue() {
        // -log N(1 | 0, 4) = log(2 pi)/2 + log(4)/2 + 1/8
        double nll = Losses.gaussianNll(c(1.0), c(0.0), c(Math.log(4)), Reduction.SUM).item();
        assertEquals(0.5 * Math.log(2 * Math.PI) + 0.5 * Math.log(4) + 0.125, nll, 1e-14);
    }

    @Test
    void reductions_sumMeanBatchMean() {
        Variable a = Variable.constant(Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3));
        Variable b = Variable.constant(Tensor.zeros(DType.FLOAT64, 2, 3));
        assertEquals(91.0, Losses.mse(a, b, Reduction.SUM).item());
        assertEquals(91.0 / 6, Losses.mse(a, b, Reduction.MEAN).item(), 1e-15);
        assertEquals(91.0 / 2, Losses.mse(a, b, Reduction.BATCH_MEAN).item(), 1e-15);
        assertEquals(Tensor.zeros(DType.FLOAT64, 2, 3).shape(), Losses.mse(a, b, Reduction.NONE).shape());
    }
}
