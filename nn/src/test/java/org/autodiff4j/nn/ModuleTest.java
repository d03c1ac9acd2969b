package org.autodiff4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.autodiff4j.autograd.GradCheck;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.nn.init.Init;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Shape;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ModuleTest {

    static final class TwoPart extends Module {
        final Sequential encoder;
        final Linear head;

        TwoPart(Generator g) {
            encoder = registerModule("encoder", new Sequential(new Linear(4, 3, g), new Activation.Tanh(),
                    new Linear(3, 2, g)));
            head = registerModule("head", new Linear(2, 1, g));
        }
    }

    @Test
    void evaluate_inBlocksEqualsOneBatch_inEvalMode_andRestoresTheMode() {
        Generator g = new Generator(3);
        // batch norm tells the modes apart: batch statistics in training, the running ones in evaluation
        Sequential net = new Sequential(new Linear(4, 3, g), BatchNorm.of1d(3), new Activation.Tanh());
        Tensor x = Tensor.randn(g, DType.FLOAT32, 7, 4);
        net.eval();
        Tensor whole = net.forward(Variable.constant(x)).value();
        net.train();
        Tensor blocks = net.evaluate(x, 3, net::forward);
        assertTrue(net.isTraining());
        assertArrayEquals(whole.toFloatArray(), blocks.toFloatArray(), 0f);
        assertEquals("evaluate: needs [n, ...] inputs with n >= 1 and a block of at least 1, got [7, 4] and 0",
                assertThrows(IllegalArgumentException.class, () -> net.evaluate(x, 0, net::forward)).getMessage());
    }

    /**
     * In-place activations after each layer whose output a DCGAN or conv VAE feeds them (convolution, transposed
     * convolution, linear, batch and layer norm) give the bits of the copying ones, forward and backward.
     */
    @Test
    void inPlaceActivations_giveTheBitsOfCopyingOnes_afterEveryLayerTheModelsUse() {
        List<Layer> makers = List.of(new Conv2d(2, 4, 3, 2, 1, new Generator(1)),
                new ConvTranspose2d(2, 4, 4, 2, 1, new Generator(2)));
        for (boolean layerNorm : new boolean[] {false, true}) {
            Sequential[] nets = new Sequential[2];
            for (int k = 0; k < 2; k++) {
                Generator g = new Generator(5);
                Layer norm = layerNorm ? new LayerNorm(4, 4, 4) : BatchNorm.of2d(4);
                nets[k] = new Sequential(new Conv2d(2, 4, 3, 1, 1, g), k == 0 ? new Activation.Relu(true)
                        : new Activation.Relu(), new Conv2d(4, 4, 3, 1, 1, g), norm,
                        k == 0 ? new Activation.LeakyRelu(0.2, true) : new Activation.LeakyRelu(0.2),
                        new Pooling.Flatten(), new Linear(64, 3, g),
                        k == 0 ? new Activation.Relu(true) : new Activation.Relu());
            }
            Tensor x = Tensor.randn(new Generator(6), DType.FLOAT32, 5, 2, 4, 4);
            Variable y0 = nets[0].forward(Variable.constant(x));
            Variable y1 = nets[1].forward(Variable.constant(x));
            assertArrayEquals(y1.value().toFloatArray(), y0.value().toFloatArray(), 0f);
            y0.square().sum().backward();
            y1.square().sum().backward();
            List<Variable> p0 = nets[0].parameters();
            List<Variable> p1 = nets[1].parameters();
            for (int i = 0; i < p0.size(); i++) {
                assertArrayEquals(p1.get(i).grad().toFloatArray(), p0.get(i).grad().toFloatArray(), 0f, "parameter " + i);
            }
        }
        for (Layer maker : makers) {
            Tensor x = Tensor.randn(new Generator(7), DType.FLOAT32, 3, 2, 6, 6);
            Variable a = new Activation.LeakyRelu(0.1, true).forward(maker.forward(Variable.constant(x)));
            Variable b = maker.forward(Variable.constant(x)).leakyRelu(0.1);
            assertArrayEquals(b.value().toFloatArray(), a.value().toFloatArray(), 0f);
        }
        assertEquals("LeakyRelu: slope -1.0 must be at least 0 in place",
                assertThrows(IllegalArgumentException.class, () -> new Activation.LeakyRelu(-1, true)).getMessage());
    }

    @Test
    void namedParameters_areDottedAndInRegistrationOrder() {
        TwoPart m = new TwoPart(new Generator(0));
        assertEquals(List.of("encoder.0.weight", "encoder.0.bias", "encoder.2.weight", "encoder.2.bias",
                "head.weight", "head.bias"), List.copyOf(m.namedParameters().keySet()));
        assertEquals(4 * 3 + 3 + 3 * 2 + 2 + 2 + 1, m.parameterCount());
        assertEquals(Shape.of(3, 4), m.namedParameters().get("encoder.0.weight").shape());
    }

    @Test
    void register_duplicateOrDottedName_isRejected() {
        Module m = new Module() {
            {
                registerParameter("w", Tensor.zeros(DType.FLOAT32, 1));
                assertThrows(IllegalArgumentException.class, () -> registerParameter("w", Tensor.zeros(DType.FLOAT32, 1)));
                assertThrows(IllegalArgumentException.class, () -> registerModule("a.b", new Activation.Tanh()));
            }
        };
        assertEquals(1, m.parameters().size());
    }

    @Test
    void trainEval_propagateToChildren() {
        TwoPart m = new TwoPart(new Generator(0));
        m.eval();
        assertFalse(m.encoder.layers().get(1).isTraining());
        m.train();
        assertTrue(m.head.isTraining());
    }

    @Test
    void loadStateDict_copiesValuesAndRejectsMisfits() {
        TwoPart a = new TwoPart(new Generator(1));
        TwoPart b = new TwoPart(new Generator(2));
        Map<String, Tensor> state = new java.util.LinkedHashMap<>();
        a.namedParameters().forEach((k, p) -> state.put(k, p.value()));
        b.loadStateDict(state);
        assertArrayEquals(a.head.weight().value().toFloatArray(), b.head.weight().value().toFloatArray());
        state.put("head.weight", Tensor.zeros(DType.FLOAT32, 5, 5));
        state.remove("head.bias");
        state.put("extra", Tensor.zeros(DType.FLOAT32, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(state));
        assertEquals("loadStateDict: the state does not fit TwoPart: missing head.bias; unexpected extra; "
                + "head.weight has shape [5, 5], the model expects [1, 2]", e.getMessage());
    }

    @Test
    void linear_computesAffineMapAndItsGradient() {
        Generator g = new Generator(3);
        Linear lin = new Linear(3, 2, Init.XAVIER_UNIFORM, DType.FLOAT64, g);
        lin.bias().value().copyFrom(Tensor.of(new double[] {0.5, -1}, 2));
        Tensor x = Tensor.randn(g, DType.FLOAT64, 4, 3);
        Tensor expected = x.matMul(lin.weight().value().transpose()).add(lin.bias().value());
        assertTrue(lin.forward(Variable.constant(x)).value().allClose(expected, 1e-12, 1e-12));
        Tensor w = lin.weight().value();
        Tensor b = lin.bias().value();
        GradCheck.assertGradients(v -> v[0].matMul(v[1], false, true).add(v[2]).tanh(), g, 1e-6, x, w, b);
    }

    @Test
    void init_respectsBounds() {
        Generator g = new Generator(4);
        Tensor pt = Init.PYTORCH_DEFAULT.weight(200, 100, DType.FLOAT64, g);
        assertTrue(pt.abs().max(0, false).max(0, false).item() <= 0.1);
        assertTrue(pt.abs().max(0, false).max(0, false).item() > 0.09);
        Tensor xavier = Init.XAVIER_UNIFORM.weight(200, 100, DType.FLOAT64, g);
        assertTrue(xavier.abs().max(0, false).max(0, false).item() <= Math.sqrt(6.0 / 300));
        Tensor he = Init.HE_NORMAL.weight(400, 100, DType.FLOAT64, g);
        assertEquals(2.0 / 100, he.square().mean().item(), 0.002);
        assertEquals(0.0, Init.XAVIER_NORMAL.bias(5, 3, DType.FLOAT32, g).abs().sum().item());
    }

    @Test
    void activation_named_rejectsUnknownNames() {
        assertTrue(Activation.named("TANH") instanceof Activation.Tanh);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activation.named("gelu"));
        assertEquals("activation: unknown name 'gelu' (allowed: tanh, sigmoid, relu, leakyrelu)", e.getMessage());
    }
}
