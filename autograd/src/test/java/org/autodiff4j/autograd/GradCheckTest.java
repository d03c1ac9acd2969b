package org.autodiff4j.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.autodiff4j.tensor.Elementwise;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class GradCheckTest {

    /** An op with a deliberately wrong backward (d sin = cos, here sin), to show the checker catches it. */
    static final class WrongSin extends Node {
        private final Tensor x;

        private WrongSin(Variable x) {
            super(x);
            this.x = x.value();
        }

        static Variable apply(Variable x) {
            return new WrongSin(x).output(x.value().map(Elementwise.unary(Math::sin)));
        }

        @Override
        protected Variable[] backward(Variable g) {
            return new Variable[] {g.mul(Variable.constant(x.map(Elementwise.unary(Math::sin))))};
        }
    }

    @Test
    void check_acceptsCorrectGradient() {
        Tensor x = Tensor.randn(new Generator(1), DType.FLOAT32, 3, 4);
        GradCheck.Result r = GradCheck.check(v -> v[0].tanh().mul(v[0]), new Generator(2), x);
        assertTrue(r.passes(1e-8), r.toString());
    }

    @Test
    void check_rejectsWrongGradientAndNamesTheElement() {
        Tensor x = Tensor.of(new double[] {0.1, 0.7, 1.3}, 3);
        GradCheck.Result r = GradCheck.check(v -> WrongSin.apply(v[0]), new Generator(2), x);
        assertFalse(r.passes(1e-2));
        assertEquals(0, r.input());
        AssertionError e = assertThrows(AssertionError.class,
                () -> GradCheck.assertGradients(v -> WrongSin.apply(v[0]), new Generator(2), 1e-6, x));
        assertTrue(e.getMessage().startsWith("gradient check failed (tolerance 1.0E-6, inputs [3]): worst relative error"),
                e.getMessage());
    }

    @Test
    void check_missingGradient_isReported() {
        Tensor x = Tensor.of(new double[] {0.5, 1.5}, 2);
        GradCheck.Result r = GradCheck.check(v -> v[0].detach().mul(2.0).add(v[0].detach()), new Generator(3), x);
        assertFalse(r.passes(0.5), r.toString());
    }

    @Test
    void check_leavesInputsUnchanged() {
        Tensor x = Tensor.of(new double[] {0.5, 1.5}, 2);
        GradCheck.check(v -> v[0].exp(), new Generator(3), x);
        assertEquals(0.5, x.getFlat(0));
        assertEquals(1.5, x.getFlat(1));
    }
}
