package example;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.autodiff4j.autograd.NoGrad;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.autograd.loss.Losses;
import org.autodiff4j.autograd.loss.Reduction;
import org.autodiff4j.nn.Activation;
import org.autodiff4j.nn.Checkpoint;
import org.autodiff4j.nn.Linear;
import org.autodiff4j.nn.Module;
import org.autodiff4j.nn.Sequential;
import org.autodiff4j.nn.optim.Adam;
import org.autodiff4j.tensor.Blas;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/** Trains a small MLP to tell two interleaved spirals apart, saves it, and loads it back. */
public final class SpiralClassifier {

    /** 2 inputs, two hidden tanh layers, 2 logits; parameters are named net.0.weight, net.0.bias, ... */
    static final class Mlp extends Module {
        private final Sequential net;

        Mlp(int hidden, Generator g) {
            net = registerModule("net", new Sequential(
                    new Linear(2, hidden, g), new Activation.Tanh(),
                    new Linear(hidden, hidden, g), new Activation.Tanh(),
                    new Linear(hidden, 2, g)));
        }

        Variable forward(Variable x) {
            return net.forward(x);
        }
    }

    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 1500;
        Generator g = new Generator(0);
        System.out.println("BLAS: " + Blas.describe());

        // 400 points on two spirals, a little noise, labels 0 and 1
        int n = 400;
        double[] xy = new double[2 * n];
        int[] labels = new int[n];
        Tensor noise = Tensor.randn(g, DType.FLOAT64, 2 * n).mul(0.02);
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            double t = 0.25 + 2.5 * Math.PI * (i / 2) / (n / 2.0);
            double angle = t + Math.PI * labels[i];
            xy[2 * i] = t * Math.cos(angle) / 8 + noise.getFlat(2 * i);
            xy[2 * i + 1] = t * Math.sin(angle) / 8 + noise.getFlat(2 * i + 1);
        }
        Variable x = Variable.constant(Tensor.of(DType.FLOAT32, xy, n, 2));

        Mlp model = new Mlp(64, g);
        Adam adam = new Adam(model.parameters(), 1e-2);
        for (int step = 1; step <= steps; step++) {
            adam.zeroGrad();
            Variable loss = Losses.crossEntropy(model.forward(x), labels, Reduction.MEAN);
            loss.backward();
            adam.step();
            if (step % 500 == 0 || step == steps) {
                System.out.printf("step %4d  loss %.4f  accuracy %.3f%n", step, loss.value().item(), accuracy(model, x, labels));
            }
        }

        Path file = Files.createTempDirectory("spirals").resolve("mlp.safetensors");
        Checkpoint.save(file, model, adam, Map.of(Checkpoint.MODEL_KEY, "spiral-mlp"));
        Mlp restored = new Mlp(64, new Generator(1));
        Checkpoint.load(file, restored, null, "spiral-mlp");
        System.out.printf("restored from %s: accuracy %.3f%n", file, accuracy(restored, x, labels));
    }

    /** The share of points whose larger logit is their label. */
    static double accuracy(Mlp model, Variable x, int[] labels) {
        try (NoGrad ignored = NoGrad.enter()) {
            int[] predicted = model.forward(x).value().argmax(1);
            int right = 0;
            for (int i = 0; i < labels.length; i++) {
                right += predicted[i] == labels[i] ? 1 : 0;
            }
            return (double) right / labels.length;
        }
    }
}
