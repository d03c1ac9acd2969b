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

    /** The WGAN-GP penalty of a leaky-ReLU critic, as a function of its parameters (float64). */
    private static double penalty(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2, boolean backward) {
        Variable in = Variable.parameter(x);
        Variable[] params = {Variable.parameter(w1), Variable.parameter(b1), Variable.parameter(w2), Variable.parameter(b2)};
        Variable d = in.linear(params[0], params[1]).leakyRelu(0.2).linear(params[2], params[3]);
        Variable dx = Autograd.grad(d.sum(), new Variable[] {in}, true)[0];
        Variable p = dx.square().sum(1, false).add(1e-12).sqrt().sub(1.0).square().mean();
        if (backward) {
            p.backward();
            for (int k = 0; k < params.length; k++) {
                GRADS[k] = params[k].grad();
            }
        }
        return p.item();
    }

    private static final Tensor[] GRADS = new Tensor[4];

    @Test
    void aGradientPenaltysGradient_matchesCentralDifferences_inEveryCriticParameter() {
        org.autodiff4j.tensor.Generator g = new org.autodiff4j.tensor.Generator(11);
        Tensor x = Tensor.randn(g, DType.FLOAT64, 6, 3);
        Tensor[] p = {Tensor.randn(g, DType.FLOAT64, 5, 3), Tensor.randn(g, DType.FLOAT64, 5),
            Tensor.randn(g, DType.FLOAT64, 1, 5), Tensor.randn(g, DType.FLOAT64, 1)};
        penalty(x, p[0], p[1], p[2], p[3], true);
        for (int k = 0; k < p.length; k++) {
            Tensor analytic = GRADS[k];
            for (int j = 0; j < p[k].size(); j++) {
                double w0 = p[k].getFlat(j);
                double h = 1e-6;
                p[k].puti(j, w0 + h);
                double plus = penalty(x, p[0], p[1], p[2], p[3], false);
                p[k].puti(j, w0 - h);
                double minus = penalty(x, p[0], p[1], p[2], p[3], false);
                p[k].puti(j, w0);
                double numeric = (plus - minus) / (2 * h);
                double a = analytic == null ? 0 : analytic.getFlat(j);
                assertEquals(numeric, a, 1e-6 * Math.max(1, Math.abs(numeric)), "parameter " + k + "[" + j + "]");
            }
        }
        assertTrue(GRADS[0].abs().sum().item() > 0 && GRADS[2].abs().sum().item() > 0);
    }
}
