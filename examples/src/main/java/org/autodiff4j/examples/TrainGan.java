package org.autodiff4j.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.autodiff4j.autograd.Anomaly;
import org.autodiff4j.models.data.Dataset;
import org.autodiff4j.models.data.Datasets;
import org.autodiff4j.models.gan.Gan;
import org.autodiff4j.models.gan.GanConfig;
import org.autodiff4j.models.gan.GanTask;
import org.autodiff4j.models.gan.GanTrainer;
import org.autodiff4j.models.train.EpochRecord;
import org.autodiff4j.models.train.RunState;
import org.autodiff4j.models.train.TrainListener;
import org.autodiff4j.models.train.TrainLoop;
import org.autodiff4j.models.train.TrainingStopped;
import org.autodiff4j.nn.Checkpoint;
import org.autodiff4j.tensor.Blas;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;
import org.autodiff4j.viz.Charts;
import org.autodiff4j.viz.ImageGrid;
import org.autodiff4j.viz.ProgressListener;
import org.autodiff4j.viz.Report;
import org.autodiff4j.viz.RunFolder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Trains the design notes' GAN on MNIST-family images scaled to [-1, 1] and writes into a run folder:
 * sample grids from a fixed set of z at the first, middle and last epoch, loss and D-output curves
 * (CSV and PNG), an interpolation strip, a checkpoint, and, when the labelled MNIST test set is at
 * hand, what a digit classifier trained on it makes of 10000 generated samples.
 */
@Command(name = "train-gan", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a GAN on MNIST-family images and write samples, curves, a checkpoint and a digit report.")
public final class TrainGan implements Callable<Integer> {

    @Option(names = "--dataset", description = "binarized-mnist (default), mnist or fashion-mnist")
    String dataset = "binarized-mnist";

    @Option(names = "--data-dir", paramLabel = "DIR", description = "folder holding the data sets (DIR/NAME/ or DIR/)")
    Path dataDir;

    @Option(names = "--epochs", description = "epochs (default: ${DEFAULT-VALUE})")
    int epochs = 30;

    @Option(names = "--batch-size", description = "real samples per discriminator step (default: ${DEFAULT-VALUE})")
    int batchSize = 64;

    @Option(names = "--latent", description = "z dimensions (default: ${DEFAULT-VALUE})")
    int latent = 100;

    @Option(names = "--lr", description = "Adam learning rate of both networks (default: ${DEFAULT-VALUE})")
    double learningRate = 2e-4;

    @Option(names = "--beta1", description = "Adam beta1 (default: ${DEFAULT-VALUE})")
    double beta1 = 0.5;

    @Option(names = "--k", description = "discriminator steps per generator step (default: ${DEFAULT-VALUE})")
    int k = 1;

    @Option(names = "--loss", description = "generator loss: non-saturating (default) or minimax")
    String loss = "non-saturating";

    // NOTE: the defaults of --real-label and --instance-noise are the measured working recipe on binarized
    // MNIST (README, GANs): without them the discriminator wins outright by epoch 5-7.
    @Option(names = "--real-label", description = "target for real samples; below 1 is one-sided label smoothing (default: ${DEFAULT-VALUE})")
    double realLabel = 0.9;

    @Option(names = "--instance-noise", paramLabel = "STD", description = "std of Gaussian noise added to every input of the discriminator (default: ${DEFAULT-VALUE})")
    double instanceNoise = 1.0;

    @Option(names = "--noise-anneal-epochs", description = "epochs over which the instance noise falls to 0; 0 keeps it (default: ${DEFAULT-VALUE})")
    int noiseAnnealEpochs = 0;

    @Option(names = "--pack", description = "PacGAN packing: the discriminator judges this many samples at once (default: ${DEFAULT-VALUE})")
    int pack = 1;

    @Option(names = "--slerp", description = "interpolate spherically instead of linearly")
    boolean slerp;

    @Option(names = "--report-samples", description = "generated samples judged by the digit classifier (default: ${DEFAULT-VALUE})")
    int reportSamples = 10_000;

    @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--output", paramLabel = "DIR", description = "run folder (default: runs/gan-DATE-TIME)")
    Path output;

    @Option(names = "--quick", description = "a smoke run: 2 epochs of 10 steps, small report")
    boolean quick;

    @Option(names = "--detect-anomaly", description = "check every op's values and gradients and name the first to produce NaN or infinity (slower)")
    boolean detectAnomaly;

    @Option(names = "--checkpoint-every", paramLabel = "STEPS", description = "write the resumable checkpoint.safetensors every this many generator steps; it is also written at the end and on Ctrl-C (default: ${DEFAULT-VALUE}; 0: only then)")
    int checkpointEvery = 1000;

    @Option(names = "--resume", description = "continue the run in --output from its checkpoint.safetensors, with its settings (only --data-dir and --detect-anomaly may be given again)")
    boolean resume;

    @Spec
    CommandSpec spec;

    private final PrintStream log;

    TrainGan(PrintStream log) {
        this.log = log;
    }

    /** Re-reads the run's settings from its checkpoint and continues it. */
    private int resumeRun() throws IOException {
        List<String> args = RunFolders.argumentsToResume(spec, output, TrainVae.CHECKPOINT, "train-gan", "--data-dir",
                "--detect-anomaly");
        TrainGan saved = new TrainGan(log);
        new CommandLine(saved).parseArgs(args.toArray(String[]::new));
        saved.dataDir = dataDir != null ? dataDir : saved.dataDir;
        saved.detectAnomaly = detectAnomaly;
        saved.validate();
        return saved.run(output, args, output.resolve(TrainVae.CHECKPOINT));
    }

    private void validate() {
        Gan.GeneratorLoss.named(loss);
        if (epochs < 1 || batchSize < 1 || latent < 1 || reportSamples < 1 || pack < 1 || k < 1) {
            throw new IllegalArgumentException("--epochs, --batch-size, --latent, --k, --pack and --report-samples must be "
                    + "positive, got " + epochs + ", " + batchSize + ", " + latent + ", " + k + ", " + pack + ", " + reportSamples);
        }
        if (batchSize % pack != 0) {
            throw new IllegalArgumentException("--batch-size " + batchSize + " is not a multiple of --pack " + pack);
        }
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("--checkpoint-every must be at least 0, got " + checkpointEvery);
        }
    }

    @Override
    public Integer call() throws IOException {
        if (resume) {
            return resumeRun();
        }
        validate();
        Path runDir = output != null ? output
                : Path.of("runs", "gan-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        RunFolders.requireEmpty(runDir);
        return run(runDir, RunFolders.ownArguments(spec), null);
    }

    private int run(Path runDir, List<String> args, Path resumeFrom) throws IOException {
        Gan.GeneratorLoss kind = Gan.GeneratorLoss.named(loss);
        if (quick) {
            epochs = Math.min(epochs, 2);
        }
        int stepsPerEpochCap = quick ? 10 : Integer.MAX_VALUE;
        int reportCount = quick ? Math.min(reportSamples, 200) : reportSamples;
        log.println("autodiff4j: BLAS: " + Blas.describe());

        // data, scaled to [-1, 1] for the tanh generator
        Datasets sets = Datasets.standard(dataDir);
        Dataset train = sets.load(dataset, "train");
        if (quick) {
            train = train.head(k * batchSize * 10);
        }
        if (train.size() < k * batchSize) {
            throw new IllegalArgumentException(dataset + " train has " + train.size() + " images, fewer than one round of "
                    + "--k " + k + " batches of --batch-size " + batchSize);
        }
        Tensor images = train.images().mul(2.0).add(-1.0);
        log.printf("data: %s train %d images%n", dataset, train.size());

        // model and trainer
        Generator g = new Generator(seed);
        GanConfig config = new GanConfig(latent, GanConfig.mnist().generatorHidden(),
                GanConfig.mnist().discriminatorHidden(), 784, 0.2, true, pack);
        Gan gan = new Gan(config, g);
        int roundsPerEpoch = Math.min((int) (images.shape().dim(0) / batchSize) / k, stepsPerEpochCap);
        GanTrainer trainer = new GanTrainer(gan, learningRate, beta1, new GanTrainer.Options(k, kind, realLabel,
                instanceNoise, noiseAnnealEpochs * roundsPerEpoch), g);
        log.printf("model: generator %d-%s-784 (tanh), discriminator 784-%s-1, LeakyReLU 0.2, %,d parameters; "
                + "Adam lr %.3g beta1 %.2f, batch %d, k %d, %s loss, instance noise %.2g%n", latent, config.generatorHidden(),
                config.discriminatorHidden(), gan.parameterCount(), learningRate, beta1, batchSize, k, loss, instanceNoise);
        RunFolder out = new RunFolder(runDir);
        Map<String, String> metadata = new LinkedHashMap<>(config.toMetadata());
        metadata.putAll(RunFolders.argumentsMetadata("train-gan", args));
        TrainLoop loop = new TrainLoop(GanTask.onImages(gan, trainer, images, batchSize), g, TrainLoop.Options.epochs(epochs)
                .withCheckpoint(out.dir().resolve(TrainVae.CHECKPOINT), checkpointEvery).withMetadata(metadata)
                .withStepLimits(quick ? 10 : 0, 0).withCurve(50));

        // train, with sample grids from fixed z at the first, middle and last epoch
        Tensor fixedZ = gan.noise(64, new Generator(seed + 1));
        List<EpochRecord> history;
        try (Anomaly ignored = detectAnomaly ? Anomaly.detect() : null;
             ProgressListener progress = new ProgressListener(log, epochs).withEpochLine(TrainGan::epochLine)) {
            TrainListener grids = new TrainListener() {
                @Override
                public void epochDone(EpochRecord r) throws IOException {
                    if (r.epoch() == 1 || r.epoch() == (epochs + 1) / 2 || r.epoch() == epochs) {
                        out.imageGrid(String.format("samples-epoch-%03d.png", r.epoch()), toUnit(gan.sample(fixedZ)),
                                28, 28, 8, 2);
                    }
                }
            };
            if (resumeFrom != null) {
                RunState saved = loop.load(resumeFrom);
                log.printf("resuming %s after %d epochs and %d steps%s%n", runDir, saved.history().size(), saved.step(),
                        saved.finished() ? " (training had finished: evaluating)" : "");
                history = loop.run(TrainListener.all(progress, grids));
            } else {
                history = loop.run(TrainListener.all(progress, grids));
            }
        } catch (TrainingStopped e) {
            log.println(e.getMessage() + ": ./autodiff4j train-gan --resume --output " + out.dir());
            return 130;
        }
        double trainSeconds = history.stream().mapToDouble(EpochRecord::seconds).sum();
        long step = loop.state().step();
        Report report = new Report("GAN on " + dataset).history(history);
        writeCurves(out, loop.state().curve(), report);
        writeInterpolations(out, gan, g, report);
        Checkpoint.save(out.dir().resolve("gan.safetensors"), gan, null, config.toMetadata());

        // what a digit classifier makes of the samples
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("dataset", dataset);
        results.put("model", config.toMetadata());
        results.put("seed", seed);
        results.put("epochs", epochs);
        results.put("steps", step);
        results.put("instance_noise", instanceNoise);
        results.put("noise_anneal_epochs", noiseAnnealEpochs);
        results.put("real_label", realLabel);
        results.put("train_seconds", trainSeconds);
        results.put("blas", Blas.describe());
        results.put("quick", quick);
        try {
            DigitReport.run(sets, gan, reportCount, quick ? 1 : 10, seed, g, log, results);
        } catch (IOException e) {
            log.println("digit report skipped: " + e.getMessage());
            results.put("classifier_skipped", e.getMessage());
        }
        out.writeText("results.json", new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(results) + "\n");
        for (String e : new String[] {"001", String.format("%03d", (epochs + 1) / 2), String.format("%03d", epochs)}) {
            Path grid = out.dir().resolve("samples-epoch-" + e + ".png");
            if (java.nio.file.Files.exists(grid)) {
                report.picture("Samples from 64 fixed z after epoch " + Integer.parseInt(e), java.nio.file.Files.readAllBytes(grid));
            }
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("data set", dataset);
        settings.put("model", config.toMetadata().toString());
        settings.put("epochs", epochs);
        settings.put("batch size", batchSize);
        settings.put("k", k);
        settings.put("seed", seed);
        settings.put("BLAS", Blas.describe());
        settings.put("version", org.autodiff4j.tensor.Version.get());
        report.config(settings).results(results).write(out);
        log.printf("training %.1f s (%.1f s per 1000 steps); wrote %s%n", trainSeconds, 1000 * trainSeconds / step, out.dir());
        return 0;
    }

    private static String epochLine(EpochRecord r) {
        return String.format(java.util.Locale.ROOT, "epoch %3d  D loss %.3f  G loss %.3f  D(x) %.3f  D(G(z)) %.3f  (%d steps)",
                r.epoch(), r.get("train.d_loss"), r.get("train.g_loss"), r.get("train.d_real"), r.get("train.d_fake"), r.step());
    }

    /** Generator output in [-1, 1] back to pixel intensities in [0, 1]. */
    private static Tensor toUnit(Tensor x) {
        return x.add(1.0).mul(0.5).clamp(0, 1);
    }

    private void writeCurves(RunFolder out, List<double[]> curve, Report report) throws IOException {
        StringBuilder csv = new StringBuilder("step,d_loss,g_loss,d_real,d_fake\n");
        double[][] cols = new double[5][curve.size()];
        for (int i = 0; i < curve.size(); i++) {
            double[] c = curve.get(i);
            csv.append(String.format(java.util.Locale.ROOT, "%d,%.5f,%.5f,%.4f,%.4f%n", (long) c[0], c[1], c[2], c[3], c[4]));
            for (int j = 0; j < 5; j++) {
                cols[j][i] = c[j];
            }
        }
        out.writeText("losses.csv", csv.toString());
        if (!curve.isEmpty()) {
            byte[] losses = Charts.line("GAN losses", "generator step", "loss", cols[0], List.of("D", "G"),
                    List.of(cols[1], cols[2]));
            byte[] outputs = Charts.line("discriminator outputs", "generator step", "mean probability", cols[0],
                    List.of("D(x)", "D(G(z))"), List.of(cols[3], cols[4]));
            out.write("losses.png", losses);
            out.write("d-outputs.png", outputs);
            report.picture("Losses every 50 steps", losses).picture("D(x) and D(G(z)) every 50 steps", outputs);
        }
    }

    private void writeInterpolations(RunFolder out, Gan gan, Generator g, Report report) throws IOException {
        Tensor[] strips = new Tensor[8];
        for (int i = 0; i < strips.length; i++) {
            strips[i] = toUnit(gan.interpolate(gan.noise(1, g), gan.noise(1, g), 10, slerp));
        }
        byte[] png = ImageGrid.png(Tensor.concat(0, strips), 28, 28, 10, 2);
        out.write("interpolations.png", png);
        report.picture("Interpolations between random z (" + (slerp ? "spherical" : "linear") + ")", png);
    }
}
