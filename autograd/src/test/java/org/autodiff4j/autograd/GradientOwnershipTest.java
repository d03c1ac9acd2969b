package org.autodiff4j.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.autodiff4j.autograd.ops.ChannelAffine;
import org.autodiff4j.autograd.ops.Relu;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Which output gradients the engine lets a rule overwrite (those no one else holds), and that the rules that do so
 * (ReLU's, leaky ReLU's) give the gradients of the recorded rules, which never do.
 */
class GradientOwnershipTest {

    /** The identity, recording whether the engine let its rule overwrite the gradient it was handed. */
    static final class Probe extends Node {
        final List<Boolean> owned;

        Probe(Variable x, List<Boolean> owned) {
            super(x);
            this.owned = owned;
        }

        static Variable apply(Variable x, List<Boolean> owned) {
            return new Probe(x, owned).output(x.value().copy());
        }

        @Override
        protected Variable[] backward(Variable g) {
            return new Variable[] {g};
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            owned.add(mayOverwriteGradient());
            return new Tensor[] {g};
        }
    }

    @Test
    void onlyAGradientMadeForOneInput_mayBeOverwritten() {
        Generator gen = new Generator(1);
        Variable x = Variable.parameter(Tensor.randn(gen, DType.FLOAT64, 3, 4));
        Variable w = Variable.parameter(Tensor.randn(gen, DType.FLOAT64, 4, 2));
        List<Boolean> seen = new ArrayList<>();
        // a product's input gradient is made for it, and a shift passes it on: the probe may overwrite it
        ChannelAffine.shiftInPlace(Probe.apply(x.mul(1.0), seen).matMul(w), Variable.parameter(Tensor.zeros(DType.FLOAT64, 2)))
                .sum().backward();
        assertEquals(List.of(true), seen);
        seen.clear();
        // Add hands one gradient to both sides, and sum's gradient is a broadcast: neither may be overwritten
        Probe.apply(x.mul(1.0), seen).add(Probe.apply(x.mul(2.0), seen)).sum().backward();
        assertEquals(List.of(false, false), seen);
        seen.clear();
        // a gradient Autograd.grad returns is the caller's
        Variable h = Probe.apply(x.mul(1.0), seen);
        Variable y = h.matMul(w);
        Variable[] grads = Autograd.grad(y.sum(), new Variable[] {h, x}, false);
        assertEquals(List.of(false), seen);
        assertArrayEquals(Tensor.ones(DType.FLOAT64, 3, 2).matMul(w.value(), false, true).toDoubleArray(),
                grads[0].value().toDoubleArray(), 1e-12);
    }

    @Test
    void reluAndLeakyRelu_overwritingTheirGradient_matchTheRecordedRules() {
        Generator gen = new Generator(2);
        Tensor x = Tensor.randn(gen, DType.FLOAT64, 6, 5);
        Tensor w1 = Tensor.randn(gen, DType.FLOAT64, 5, 4);
        Tensor w2 = Tensor.randn(gen, DType.FLOAT64, 4, 3);
        List<Function<Variable[], Variable>> nets = List.of(
                // each activation's gradient comes from a product: overwritten
                v -> v[0].matMul(v[1]).relu().matMul(v[2]).leakyRelu(0.2).square().sum(),
                // in place, after a product, and through a reshape view
                v -> Relu.applyInPlace(v[0].matMul(v[1])).reshape(24).reshape(6, 4).matMul(v[2]).square().sum(),
                // one activation's output read twice: Add's gradient is shared, Sums adds the two
                v -> {
                    Variable a = v[0].matMul(v[1]).leakyRelu(0.1);
                    return a.matMul(v[2]).square().sum().add(a.relu().add(a).matMul(v[2]).sum());
                });
        for (Function<Variable[], Variable> net : nets) {
            Variable[] p = {Variable.parameter(x.copy()), Variable.parameter(w1.copy()), Variable.parameter(w2.copy())};
            net.apply(p).backward();
            Variable[] q = {Variable.parameter(x.copy()), Variable.parameter(w1.copy()), Variable.parameter(w2.copy())};
            Variable[] recorded = Autograd.grad(net.apply(q), q, true);
            for (int i = 0; i < p.length; i++) {
                assertArrayEquals(recorded[i].value().toDoubleArray(), p[i].grad().toDoubleArray(), 1e-12,
                        "input " + i);
            }
        }
    }
}
