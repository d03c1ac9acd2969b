package org.autodiff4j.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Gradients as values, and gradients of gradients. */
class AutogradTest {

    @Test
    void derivativesOfAnyOrder_ofACubic() {
        Variable x = Variable.parameter(Tensor.of(new double[] {2.0, -1.0}, 2));
        Variable y = x.pow(3).sum();
        Variable d1 = Autograd.grad(y, new Variable[] {x}, true)[0];            // 3 x^2
        assertArrayEquals(new double[] {12, 3}, d1.value().toDoubleArray(), 1e-12);
        Variable d2 = Autograd.grad(d1.sum(), new Variable[] {x}, true)[0];     // 6 x
        assertArrayEquals(new double[] {12, -6}, d2.value().toDoubleArray(), 1e-12);
        Variable d3 = Autograd.grad(d2.sum(), new Variable[] {x}, true)[0];     // 6
        assertArrayEquals(new double[] {6, 6}, d3.value().toDoubleArray(), 1e-12);
        assertNull(x.grad(), "grad() leaves the leaves' gradients alone");
        d2.sum().backward();                                                     // the third derivative into x.grad()
        assertArrayEquals(new double[] {6, 6}, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void firstOrderGrad_equalsBackward_withoutAGraph_andZerosForUnusedInputs() {
        Tensor w0 = Tensor.of(new double[] {0.5, -0.25, 1.0, 2.0}, 2, 2);
        Variable w = Variable.parameter(w0.copy());
        Variable unused = Variable.parameter(Tensor.zeros(DType.FLOAT64, 3));
        Variable h = Variable.constant(Tensor.of(new double[] {1, 2}, 1, 2)).matMul(w).tanh().sum();
        Variable[] g = Autograd.grad(h, new Variable[] {w, unused}, false);
        assertTrue(!g[0].requiresGrad() && g[1].value().allClose(Tensor.zeros(DType.FLOAT64, 3), 0, 0));
        Variable w2 = Variable.parameter(w0.copy());
        Variable.constant(Tensor.of(new double[] {1, 2}, 1, 2)).matMul(w2).tanh().sum().backward();
        assertArrayEquals(w2.grad().toDoubleArray(), g[0].value().toDoubleArray(), 0.0);
    }

    @Test
    void gradientsWithRespectToANonLeaf_andInsideNoGrad() {
        Variable x = Variable.parameter(Tensor.of(new double[] {0.3, 0.7}, 2));
        Variable mid = x.mul(2.0);
        Variable y = mid.square().sum();
        Variable dMid = Autograd.grad(y, new Variable[] {mid}, true)[0];       // 2 mid
        assertArrayEquals(new double[] {1.2, 2.8}, dMid.value().toDoubleArray(), 1e-12);
        try (NoGrad ignored = NoGrad.enter()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Autograd.grad(y, new Variable[] {x}, true));
            assertEquals("grad: createGraph inside a NoGrad scope would record nothing", e.getMessage());
        }
    }
}
