package example;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.autodiff4j.autograd.Variable;
import org.autodiff4j.autograd.loss.Losses;
import org.autodiff4j.autograd.loss.Reduction;
import org.autodiff4j.models.data.Batch;
import org.autodiff4j.models.data.DataLoader;
import org.autodiff4j.models.data.TensorDataset;
import org.autodiff4j.models.train.EpochRecord;
import org.autodiff4j.models.train.StepContext;
import org.autodiff4j.models.train.StepResult;
import org.autodiff4j.models.train.Task;
import org.autodiff4j.models.train.TrainLoop;
import org.autodiff4j.nn.Activation;
import org.autodiff4j.nn.Linear;
import org.autodiff4j.nn.Module;
import org.autodiff4j.nn.Sequential;
import org.autodiff4j.nn.optim.Adam;
import org.autodiff4j.nn.optim.Optimizer;
import org.autodiff4j.runs.ProgressListener;
import org.autodiff4j.runs.Report;
import org.autodiff4j.runs.RunFolder;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/** A user's own model on the library's loop: an MLP that tells two interleaved spirals apart. */
public final class SpiralClassifier implements Task {
    private final Sequential mlp;
    private final Adam adam;
    private final DataLoader loader;

    SpiralClassifier(TensorDataset data, Generator g) {
        mlp = new Sequential(new Linear(2, 64, g), new Activation.Tanh(), new Linear(64, 64, g), new Activation.Tanh(),
                new Linear(64, 2, g));
        adam = new Adam(mlp, 1e-2);                        // state keyed by parameter name: 0.weight, ...
        loader = new DataLoader(data, 64, DataLoader.Order.SHUFFLED, DataLoader.LastBatch.KEEP);
    }

    @Override public Module model() { return mlp; }
    @Override public Map<String, Optimizer> optimizers() { return Map.of("adam", adam); }
    @Override public List<Batch> batches(int epoch, Generator g) { return loader.epoch(g); }

    @Override
    public StepResult step(List<Batch> batches, StepContext context) {
        Batch b = batches.get(0);
        adam.zeroGrad();
        Variable logits = mlp.forward(Variable.constant(b.x()));
        Variable loss = Losses.crossEntropy(logits, b.labels(), Reduction.MEAN);
        loss.backward();
        adam.step();
        int[] predicted = logits.value().argmax(1);
        int right = 0;
        for (int i = 0; i < predicted.length; i++) {
            right += predicted[i] == b.labels()[i] ? 1 : 0;
        }
        return StepResult.of(b.size(), "loss", loss.item(), "accuracy", (double) right / b.size());
    }

    /** Two spirals of 400 points each with a little noise; labels 0 and 1. */
    static TensorDataset spirals(Generator g) {
        int n = 800;
        double[] xy = new double[2 * n];
        int[] labels = new int[n];
        Tensor noise = Tensor.randn(g, DType.FLOAT64, 2 * n).mul(0.02);
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            double t = 0.25 + 2.5 * Math.PI * (i / 2) / (n / 2.0);
            xy[2 * i] = t * Math.cos(t + Math.PI * labels[i]) / 8 + noise.getFlat(2 * i);
            xy[2 * i + 1] = t * Math.sin(t + Math.PI * labels[i]) / 8 + noise.getFlat(2 * i + 1);
        }
        return new TensorDataset(Tensor.of(DType.FLOAT32, xy, n, 2), labels);
    }

    public static void main(String[] args) throws Exception {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("spirals");
        Generator g = new Generator(0);
        SpiralClassifier task = new SpiralClassifier(spirals(g), g);
        Path checkpoint = dir.resolve("checkpoint.safetensors");
        TrainLoop loop = new TrainLoop(task, g, TrainLoop.Options.epochs(epochs).withCheckpoint(checkpoint, 100));
        List<EpochRecord> history;
        try (ProgressListener progress = new ProgressListener(System.out, epochs)) {
            // a second run in the same folder continues where the first stopped (Ctrl-C writes the checkpoint)
            history = Files.exists(checkpoint) ? loop.resume(checkpoint, progress) : loop.run(progress);
        }
        EpochRecord last = history.get(history.size() - 1);
        new Report("Two spirals").config(Map.of("epochs", epochs, "hidden", "64, 64 tanh"))
                .results(Map.of("train accuracy", last.get("train.accuracy"))).history(history).write(new RunFolder(dir));
        System.out.printf("accuracy %.3f after %d epochs; wrote %s%n", last.get("train.accuracy"), last.epoch(),
                dir.resolve("report.html"));
    }
}
