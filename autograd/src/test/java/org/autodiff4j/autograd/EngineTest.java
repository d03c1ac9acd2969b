package org.autodiff4j.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.ShapeException;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class EngineTest {
    private static Variable param(double... values) {
        return Variable.parameter(Tensor.of(values, values.length));
    }

    @Test
    void backward_nodeUsedManyTimes_sumsAllPaths() {
        Variable x = param(3.0);
        Variable y = x.mul(x).add(x).add(x.exp().mul(x)); // x^2 + x + x e^x
        y.sum().backward();
        double expected = 2 * 3 + 1 + Math.exp(3) * (1 + 3);
        assertEquals(expected, x.grad().item(), 1e-12);
    }

    @Test
    void backward_diamond_runsEachNodeOnce() {
        Variable x = param(2.0);
        Variable h = x.tanh();
        Variable y = h.mul(h).add(h.mul(3.0)); // h^2 + 3h
        y.sum().backward();
        double th = Math.tanh(2.0);
        assertEquals((2 * th + 3) * (1 - th * th), x.grad().item(), 1e-12);
    }

    @Test
    void backward_twice_accumulatesIntoLeaves() {
        Variable x = param(1.0, 2.0);
        x.mul(3.0).sum().backward();
        x.mul(3.0).sum().backward();
        assertArrayEquals(new double[] {6, 6}, x.grad().toDoubleArray());
        x.zeroGrad();
        assertNull(x.grad());
    }

    @Test
    void aLinearLayersWeightGradient_goesIntoTheBufferZeroGradCleared_andAddsUpAcrossUses() {
        Generator g = new Generator(4);
        Tensor xs = Tensor.randn(g, DType.FLOAT64, 5, 3);
        Variable x = Variable.constant(xs);
        Variable w = Variable.parameter(Tensor.randn(g, DType.FLOAT64, 4, 3));
        Variable b = Variable.parameter(Tensor.zeros(DType.FLOAT64, 4));
        Tensor expected = Tensor.ones(DType.FLOAT64, 5, 4).matMul(xs, true, false);
        x.linear(w, b).sum().backward();
        Tensor first = w.grad();
        assertArrayEquals(expected.toDoubleArray(), first.toDoubleArray(), 1e-12);
        w.zeroGrad();
        Tensor captured = Autograd.grad(x.linear(w, b).sum(), new Variable[] {w}, false)[0].value();
        assertNotSame(first, captured, "Autograd.grad returns its own tensors");
        assertArrayEquals(expected.toDoubleArray(), captured.toDoubleArray(), 1e-12);
        x.linear(w, b).sum().backward();
        assertSame(first, w.grad(), "written into the cleared buffer");
        assertArrayEquals(expected.toDoubleArray(), w.grad().toDoubleArray(), 1e-12);
        w.zeroGrad();
        x.linear(w, b).add(x.linear(w, b)).sum().backward();
        assertArrayEquals(expected.mul(2).toDoubleArray(), w.grad().toDoubleArray(), 1e-12);
        x.linear(w, b).sum().backward();
        assertArrayEquals(expected.mul(3).toDoubleArray(), w.grad().toDoubleArray(), 1e-12);
        Tensor cleared = w.grad();
        w.zeroGrad();
        x.matMul(w, false, true).sum().backward();
        assertSame(cleared, w.grad(), "matMul's gradient goes into the cleared buffer too");
        assertArrayEquals(expected.toDoubleArray(), w.grad().toDoubleArray(), 1e-12);
    }

    /** y = 2x, whose backward writes into the buffer it is lent and remembers it. */
    private static final class Twice extends Node {
        Tensor lent;

        private Twice(Variable x) {
            super(x);
        }

        static Twice of(Variable x) {
            return new Twice(x);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            lent = gradientBuffer(0, g.shape(), g.dtype());
            return new Tensor[] {lent == null ? g.mul(2) : lent.copyFrom(g).muli(2)};
        }

        @Override
        protected Variable[] backward(Variable g) {
            return new Variable[] {g.mul(2)};
        }
    }

    @Test
    void gradientBuffer_lendsTheClearedBufferOnce_onlyToABackwardIntoLeaves() {
        Variable x = param(1.0, 2.0);
        Twice first = Twice.of(x);
        first.output(x.value().mul(2)).sum().backward();
        assertNull(first.lent, "nothing cleared yet");
        Tensor grad = x.grad();
        x.zeroGrad();
        Twice captured = Twice.of(x);
        Autograd.grad(captured.output(x.value().mul(2)).sum(), new Variable[] {x}, false);
        assertNull(captured.lent, "Autograd.grad's results are the caller's");
        Twice second = Twice.of(x);
        second.output(x.value().mul(2)).sum().backward();
        assertSame(grad, second.lent);
        assertSame(grad, x.grad());
        assertArrayEquals(new double[] {2, 2}, x.grad().toDoubleArray());
        Twice third = Twice.of(x);
        third.output(x.value().mul(2)).sum().backward();
        assertNull(third.lent, "the leaf has a gradient to add to");
        assertArrayEquals(new double[] {4, 4}, x.grad().toDoubleArray());
    }

    @Test
    void backward_sameGraphTwice_failsUnlessRetained() {
        Variable x = param(1.0, 2.0);
        Variable loss = x.square().sum();
        loss.backward(null, true);
        loss.backward();
        assertArrayEquals(new double[] {4, 8}, x.grad().toDoubleArray());
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("already freed"), e.getMessage());
    }

    @Test
    void backward_nonScalarWithoutUpstream_isRejected() {
        Variable y = param(1.0, 2.0).mul(2.0);
        ShapeException e = assertThrows(ShapeException.class, y::backward);
        assertEquals("backward: the output has shape [2]; a non-scalar output needs an explicit upstream gradient "
                + "of that shape", e.getMessage());
        y.backward(Tensor.of(new double[] {1, 10}, 2));
    }

    @Test
    void backward_upstreamOfWrongShape_isRejected() {
        Variable y = param(1.0, 2.0).mul(2.0);
        ShapeException e = assertThrows(ShapeException.class, () -> y.backward(Tensor.zeros(DType.FLOAT64, 3)));
        assertEquals("backward: upstream gradient has shape [3] but the output has shape [2]", e.getMessage());
    }

    @Test
    void backward_onConstant_explainsWhy() {
        Variable c = Variable.constant(Tensor.scalar(1, DType.FLOAT64)).mul(2.0);
        assertFalse(c.requiresGrad());
        assertThrows(IllegalStateException.class, c::backward);
    }

    @Test
    void noGrad_recordsNothingAndNests() {
        Variable x = param(1.0);
        try (NoGrad outer = NoGrad.enter()) {
            try (NoGrad inner = NoGrad.enter()) {
                assertFalse(x.mul(2.0).requiresGrad());
            }
            assertTrue(NoGrad.isActive());
            assertFalse(x.exp().requiresGrad());
        }
        assertFalse(NoGrad.isActive());
        assertTrue(x.exp().requiresGrad());
    }

    @Test
    void detach_stopsGradient() {
        Variable x = param(2.0);
        Variable y = x.mul(x.detach()); // d/dx = detached x = 2
        y.sum().backward();
        assertEquals(2.0, x.grad().item());
    }

    @Test
    void requiresGrad_false_freezesParameter() {
        Variable w = param(2.0).requiresGrad(false);
        Variable x = param(3.0);
        w.mul(x).sum().backward();
        assertNull(w.grad());
        assertEquals(2.0, x.grad().item());
    }

    @Test
    void requiresGrad_onNonLeaf_isRejected() {
        Variable y = param(1.0).exp();
        assertThrows(IllegalStateException.class, () -> y.requiresGrad(false));
    }

    @Test
    void broadcastGradient_isSummedToInputShape() {
        Variable m = Variable.parameter(Tensor.ones(DType.FLOAT64, 3, 2));
        Variable bias = param(1.0, 2.0);
        m.add(bias).sum().backward();
        assertArrayEquals(new double[] {3, 3}, bias.grad().toDoubleArray());
    }

    @Test
    void float32Leaf_receivesFloat32Gradient() {
        Variable x = Variable.parameter(Tensor.ones(DType.FLOAT32, 2));
        x.mul(Variable.constant(Tensor.ones(DType.FLOAT64, 2))).sum().backward();
        assertEquals(DType.FLOAT32, x.grad().dtype());
    }

    @Test
    void deepChain_doesNotOverflowTheStack() {
        Variable x = param(0.5);
        Variable y = x;
        for (int i = 0; i < 100_000; i++) {
            y = y.mul(1.0);
        }
        y.sum().backward();
        assertEquals(1.0, x.grad().item());
    }

    /** As PyTorch: a parameter reached only through a mask (relu's step, clamp's window, max's arg-max) gets zeros. */
    @Test
    void secondOrder_throughAMaskOnly_givesAZeroGradient() {
        for (java.util.function.BinaryOperator<Variable> f : java.util.List.<java.util.function.BinaryOperator<Variable>>of(
                (x, b) -> x.add(b).relu(), (x, b) -> x.add(b).leakyRelu(0.2), (x, b) -> x.add(b).clamp(-0.5, 0.5),
                (x, b) -> x.add(b).max(0, true), (x, b) -> x.add(b).max(new int[] {0}, true))) {
            Variable x = param(-1.0, 0.25, 2.0);
            Variable b = param(0.1, 0.1, 0.1);
            Variable dx = Autograd.grad(f.apply(x, b).mul(x).sum(), new Variable[] {x}, true)[0];
            Variable penalty = Autograd.grad(f.apply(x, b).sum(), new Variable[] {x}, true)[0].sum();
            assertTrue(penalty.requiresGrad(), "linked to b through the mask");
            penalty.backward();
            assertArrayEquals(new double[] {0, 0, 0}, b.grad().toDoubleArray(), 0.0);
            assertTrue(dx.requiresGrad());
        }
    }

    /** backward() and Autograd.grad run one loop: the same gradients, first order and through createGraph. */
    @Test
    void backwardAndGrad_agree() {
        Generator g = new Generator(3);
        Tensor v = Tensor.randn(g, DType.FLOAT64, 3, 4);
        Variable x = Variable.parameter(v);
        Variable w = Variable.parameter(Tensor.randn(g, DType.FLOAT64, 5, 4));
        java.util.function.Supplier<Variable> loss = () -> x.linear(w, Variable.constant(Tensor.zeros(DType.FLOAT64, 5)))
                .tanh().square().sum();
        loss.get().backward();
        Variable[] plain = Autograd.grad(loss.get(), new Variable[] {x, w}, false);
        Variable[] recorded = Autograd.grad(loss.get(), new Variable[] {x, w}, true);
        assertArrayEquals(x.grad().toDoubleArray(), plain[0].value().toDoubleArray(), 1e-14);
        assertArrayEquals(w.grad().toDoubleArray(), plain[1].value().toDoubleArray(), 1e-14);
        assertArrayEquals(x.grad().toDoubleArray(), recorded[0].value().toDoubleArray(), 1e-14);
        assertArrayEquals(w.grad().toDoubleArray(), recorded[1].value().toDoubleArray(), 1e-14);
    }
}
