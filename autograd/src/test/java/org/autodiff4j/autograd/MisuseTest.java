package org.autodiff4j.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Elementwise;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Library misuse that must not give wrong gradients silently: in-place changes of saved values, backward from threads. */
class MisuseTest {

    /** Every in-place method, each applied to a value some op saved for backward. */
    private static final List<Consumer<Tensor>> IN_PLACE = List.of(
            t -> t.puti(0, 5.0), t -> t.addi(Tensor.ones(t.dtype(), t.shape().dims())), t -> t.muli(2.0),
            t -> t.axpyi(0.5, t.copy()), t -> t.fill(1.0), t -> t.copyFrom(t.mul(3.0)),
            t -> t.mapi(Elementwise.unary(Math::abs)));

    @Test
    void changingASavedInputInPlace_isDetectedAtBackwardNamingTheOp() {
        for (Consumer<Tensor> change : IN_PLACE) {
            Variable x = Variable.parameter(Tensor.of(new double[] {0.5, -1.0, 2.0}, 3));
            Variable y = x.tanh().mul(Variable.constant(Tensor.of(new double[] {1, 2, 3}, 3))).sum();
            change.accept(x.value()); // like an optimiser step taken between forward and backward
            IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
            assertTrue(e.getMessage().startsWith("backward: input 0 [3] of Tanh was changed in place after Tanh used it"),
                    e.getMessage());
        }
    }

    @Test
    void changingAnOpsOutputInPlace_isDetectedToo() {
        Variable x = Variable.parameter(Tensor.of(new double[] {0.5, -1.0}, 2));
        Variable h = x.sigmoid();
        Variable loss = h.square().sum();
        h.value().muli(0.0);
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("of Square was changed in place"), e.getMessage());
    }

    @Test
    void unchangedValues_andChangesAfterBackward_areFine() {
        Variable x = Variable.parameter(Tensor.of(new double[] {0.5, -1.0}, 2));
        x.tanh().sum().backward();
        x.value().muli(2.0); // after backward: an optimiser step
        x.zeroGrad();
        x.tanh().sum().backward();
        assertEquals(2, x.grad().size());
    }

    @Test
    void backwardFromSeveralThreads_intoSharedParameters_losesNoUpdate() throws Exception {
        Generator g = new Generator(4);
        Variable w = Variable.parameter(Tensor.randn(g, DType.FLOAT64, 64, 32));
        Tensor[] inputs = new Tensor[64];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = Tensor.randn(g, DType.FLOAT64, 8, 64);
        }
        Tensor expected = null;
        for (Tensor in : inputs) { // one thread: the reference sum
            w.zeroGrad();
            Variable.constant(in).matMul(w).tanh().sum().backward();
            expected = expected == null ? w.grad().copy() : expected.add(w.grad());
        }
        w.zeroGrad();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Tensor in : inputs) {
                done.add(pool.submit(() -> Variable.constant(in).matMul(w).tanh().sum().backward()));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        // the order of the additions differs between threads: equal up to rounding, not bit for bit
        assertArrayEquals(expected.toDoubleArray(), w.grad().toDoubleArray(), 1e-9);
    }
}
