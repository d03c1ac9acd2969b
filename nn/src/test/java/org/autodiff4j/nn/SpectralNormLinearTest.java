package org.autodiff4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SpectralNormLinearTest {

    @Test
    void powerIteration_findsTheLargestSingularValue() {
        Generator g = new Generator(4);
        SpectralNormLinear layer = new SpectralNormLinear(3, 2, g);
        // W = [[3, 0, 0], [0, 1, 0]]: singular values 3 and 1
        layer.loadStateDict(Map.of("weight", Tensor.of(new float[] {3, 0, 0, 0, 1, 0}, 2, 3),
                "bias", Tensor.zeros(DType.FLOAT32, 2), "u", Tensor.of(new float[] {0.6f, 0.8f}, 2),
                "v", Tensor.of(new float[] {0.6f, 0.8f, 0}, 3)));
        Variable x = Variable.constant(Tensor.of(new float[] {1, 1, 1}, 1, 3));
        for (int i = 0; i < 20; i++) {
            layer.forward(x);
        }
        assertEquals(3.0, layer.sigma(), 1e-5);
        // the effective weight W / sigma maps [1, 1, 1] to [1, 1/3]
        Tensor y = layer.forward(x).value();
        assertEquals(1.0, y.getFlat(0), 1e-5);
        assertEquals(1.0 / 3, y.getFlat(1), 1e-5);
    }

    @Test
    void gradients_reachWeightAndBiasButNeverTheIterationVectors() {
        Generator g = new Generator(5);
        SpectralNormLinear layer = new SpectralNormLinear(4, 3, g);
        Variable x = Variable.constant(Tensor.randn(g, DType.FLOAT32, 5, 4));
        layer.forward(x).square().sum().backward();
        Map<String, Variable> p = layer.namedParameters();
        assertTrue(p.get("weight").grad() != null && p.get("bias").grad() != null);
        assertEquals(java.util.Set.of("weight", "bias"), p.keySet(), "u and v are buffers, not parameters");
        assertEquals(java.util.List.of("weight", "bias", "u", "v"), java.util.List.copyOf(layer.stateDict().keySet()));
        // in evaluation mode the vectors stay put
        layer.eval();
        double before = layer.sigma();
        layer.forward(x);
        assertEquals(before, layer.sigma());
    }
}
