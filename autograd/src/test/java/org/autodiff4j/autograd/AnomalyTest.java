package org.autodiff4j.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class AnomalyTest {
    private static Variable param(double... v) {
        return Variable.parameter(Tensor.of(v, v.length));
    }

    @Test
    void forwardNaN_namesTheOpAndTheElement() {
        Variable x = param(1.0, -1.0);
        try (Anomaly ignored = Anomaly.detect()) {
            Anomaly.AnomalyException e = assertThrows(Anomaly.AnomalyException.class, () -> x.log());
            assertEquals("the forward value of Log has NaN at flat index 1 of shape [2]", e.getMessage());
        }
        assertTrue(Double.isNaN(x.log().value().getFlat(1)), "outside the scope nothing is checked");
        assertFalse(Anomaly.isActive());
    }

    @Test
    void backwardInfinity_namesTheOpAndTheInput() {
        Variable x = param(0.0, 4.0);
        Variable y = x.sqrt().sum();  // forward is finite, d sqrt(x) / dx = infinity at 0
        try (Anomaly ignored = Anomaly.detect()) {
            Anomaly.AnomalyException e = assertThrows(Anomaly.AnomalyException.class, y::backward);
            assertEquals("Sqrt.backward's gradient for input 0 has +infinity at flat index 0 of shape [2]", e.getMessage());
        }
    }

    @Test
    void finiteComputations_passUnchanged() {
        Variable x = param(0.5, 2.0);
        try (Anomaly ignored = Anomaly.detect()) {
            x.log().exp().sum().backward();
        }
        assertEquals(1.0, x.grad().getFlat(0), 1e-12);
        assertEquals(-1, Tensor.of(new double[] {1, 2}, 2).firstNonFinite());
        assertEquals(1, Tensor.of(new double[] {1, Double.NEGATIVE_INFINITY}, 2).firstNonFinite());
    }
}
