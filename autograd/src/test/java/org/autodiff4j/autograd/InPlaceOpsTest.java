package org.autodiff4j.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;

import org.autodiff4j.autograd.ops.ChannelAffine;
import org.autodiff4j.autograd.ops.LeakyRelu;
import org.autodiff4j.autograd.ops.Relu;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The in-place ops (ReLU, leaky ReLU, a channel shift) against their copying forms, and the checks that keep them
 * from giving wrong gradients: overwriting a parameter, a view of one, or a value its maker's backward reads.
 */
class InPlaceOpsTest {

    /** The in-place ops on the fresh output of a product, which MatMul's backward does not read. */
    private static final Function<Variable[], Variable> RELU = v -> Relu.applyInPlace(v[0].matMul(v[1]));
    private static final Function<Variable[], Variable> LEAKY = v -> LeakyRelu.applyInPlace(v[0].matMul(v[1]), 0.2);
    private static final Function<Variable[], Variable> SHIFT =
            v -> ChannelAffine.shiftInPlace(v[0].matMul(v[1]), v[2]);

    @Test
    void firstAndSecondOrderGradients_matchCentralDifferences() {
        for (long seed = 1; seed <= 5; seed++) {
            Generator g = new Generator(seed);
            Tensor a = Tensor.randn(g, DType.FLOAT64, 4, 3);
            Tensor b = Tensor.randn(g, DType.FLOAT64, 3, 5);
            Tensor c = Tensor.randn(g, DType.FLOAT64, 5);
            for (Function<Variable[], Variable> f : java.util.List.of(RELU, LEAKY)) {
                GradCheck.assertGradients(f, new Generator(seed), 1e-6, a, b);
                GradCheck.assertSecondOrder(f, new Generator(seed + 100), 1e-6, a, b);
            }
            Function<Variable[], Variable> shiftThenSquare = v -> SHIFT.apply(v).square();
            GradCheck.assertGradients(shiftThenSquare, new Generator(seed), 1e-6, a, b, c);
            GradCheck.assertSecondOrder(shiftThenSquare, new Generator(seed + 100), 1e-6, a, b, c);
        }
    }

    @Test
    void valuesAndGradients_areTheBitsOfTheCopyingOps_inFloat32() {
        Generator g = new Generator(9);
        Tensor a = Tensor.randn(g, DType.FLOAT32, 16, 8);
        Tensor b = Tensor.randn(g, DType.FLOAT32, 8, 12);
        Tensor c = Tensor.randn(g, DType.FLOAT32, 12);
        assertSameRun(RELU, v -> v[0].matMul(v[1]).relu(), a, b);
        assertSameRun(LEAKY, v -> v[0].matMul(v[1]).leakyRelu(0.2), a, b);
        assertSameRun(SHIFT, v -> ChannelAffine.apply(v[0].matMul(v[1]), null, v[2]), a, b, c);
    }

    private static void assertSameRun(Function<Variable[], Variable> inPlace, Function<Variable[], Variable> copying,
                                      Tensor... values) {
        Variable[] p = new Variable[values.length];
        Variable[] q = new Variable[values.length];
        for (int i = 0; i < values.length; i++) {
            p[i] = Variable.parameter(values[i].copy());
            q[i] = Variable.parameter(values[i].copy());
        }
        Variable y = inPlace.apply(p);
        Variable z = copying.apply(q);
        assertArrayEquals(z.value().toFloatArray(), y.value().toFloatArray());
        y.square().sum().backward();
        z.square().sum().backward();
        for (int i = 0; i < values.length; i++) {
            assertArrayEquals(q[i].grad().toFloatArray(), p[i].grad().toFloatArray(), "gradient of input " + i);
        }
    }

    @Test
    void onAParameter_orAViewOfOne_throwsBeforeWriting() {
        Variable w = Variable.parameter(Tensor.of(new double[] {-1, 2, -3, 4}, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Relu.applyInPlace(w));
        assertEquals("relu in place: the input [4] is a leaf that requires grad (a parameter), whose value it would "
                + "overwrite; use relu instead", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LeakyRelu.applyInPlace(w.reshape(2, 2), 0.1));
        assertTrue(e.getMessage().startsWith("leakyRelu in place: the input [2, 2] shares the storage of a leaf that "
                + "requires grad"), e.getMessage());
        assertArrayEquals(new double[] {-1, 2, -3, 4}, w.value().toDoubleArray());
        e = assertThrows(IllegalArgumentException.class, () -> LeakyRelu.applyInPlace(w.mul(1.0), -0.5));
        assertEquals("leakyRelu in place: slope -0.5 must be at least 0, so that the output's signs are the input's",
                e.getMessage());
    }

    @Test
    void afterAnOpWhoseBackwardReadsItsOutput_backwardThrowsNamingThatOp() {
        Variable x = Variable.parameter(Tensor.of(new double[] {0.5, -1.0, 2.0}, 3));
        Variable loss = Relu.applyInPlace(x.mul(2.0).sigmoid()).sum();
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().startsWith("backward: output [3] of Sigmoid was changed in place"), e.getMessage());
    }

    @Test
    void theValuesAnOpDoesRead_areStillChecked() {
        Variable w = Variable.parameter(Tensor.of(new double[] {1, -2, 3, -4}, 2, 2));
        Variable scale = Variable.parameter(Tensor.of(new double[] {2, 3}, 2));
        Variable h = w.mul(1.0);
        Variable y = ChannelAffine.apply(h, scale, null).sum();
        h.value().muli(2.0);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().startsWith("backward: input 0 [2, 2] of ChannelAffine was changed in place"),
                e.getMessage());
        Variable m = w.mul(1.0);
        Variable z = Relu.applyInPlace(m.matMul(w)).sum();
        m.value().muli(2.0);
        e = assertThrows(IllegalStateException.class, z::backward);
        assertTrue(e.getMessage().startsWith("backward: input 0 [2, 2] of MatMul was changed in place"), e.getMessage());
    }

    @Test
    void onAValueNothingRecords_underNoGrad_writesOverIt() {
        Tensor t = Tensor.of(new double[] {-1, 2}, 2);
        try (NoGrad ignored = NoGrad.enter()) {
            Variable y = Relu.applyInPlace(Variable.constant(t));
            assertArrayEquals(new double[] {0, 2}, y.value().toDoubleArray());
        }
        assertArrayEquals(new double[] {0, 2}, t.toDoubleArray());
    }
}
