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
import org.autodiff4j.models.vae.Vae;
import org.autodiff4j.models.vae.VaeConfig;
import org.autodiff4j.models.train.EpochRecord;
import org.autodiff4j.models.train.RunState;
import org.autodiff4j.models.train.TrainListener;
import org.autodiff4j.models.train.TrainLoop;
import org.autodiff4j.models.train.TrainingStopped;
import org.autodiff4j.models.vae.VaeEvaluation;
import org.autodiff4j.models.vae.VaeTask;
import org.autodiff4j.nn.Checkpoint;
import org.autodiff4j.nn.optim.Adam;
import org.autodiff4j.nn.optim.LearningRateSchedule;
import org.autodiff4j.tensor.Blas;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;
import org.autodiff4j.viz.ProgressListener;
import org.autodiff4j.viz.Report;
import org.autodiff4j.viz.RunFolder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Trains a VAE on an MNIST-family data set and writes into a run folder: per-epoch metrics (CSV and
 * a PNG curve), sample grids at the first, middle and last epoch, reconstructions, interpolations,
 * the 2-D manifold when the latent space has two dimensions, a checkpoint, and the test negative ELBO
 * and importance-weighted NLL in {@code results.json}. Reads top to bottom: arguments, data, model,
 * optimiser, train, evaluate.
 */
@Command(name = "train-vae", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a variational auto-encoder and write samples, curves, metrics and a checkpoint.")
public final class TrainVae implements Callable<Integer> {

    @Option(names = "--dataset", description = "binarized-mnist (default), mnist or fashion-mnist")
    String dataset = "binarized-mnist";

    @Option(names = "--data-dir", paramLabel = "DIR", description = "folder holding the data set (DIR/NAME/ or DIR/)")
    Path dataDir;

    @Option(names = "--epochs", description = "maximum epochs (default: ${DEFAULT-VALUE})")
    int epochs = 30;

    @Option(names = "--batch-size", description = "examples per step (default: ${DEFAULT-VALUE})")
    int batchSize = 128;

    @Option(names = "--hidden", split = ",", paramLabel = "N[,N...]", hideParamSyntax = true,
            description = "hidden layer sizes, comma-separated (default: 500)")
    List<Integer> hidden = List.of(500);

    @Option(names = "--latent", description = "latent dimensions (default: ${DEFAULT-VALUE})")
    int latent = 20;

    @Option(names = "--activation", description = "tanh (default), sigmoid, relu or leakyrelu")
    String activation = "tanh";

    @Option(names = "--likelihood", description = "bernoulli (default) or gaussian")
    VaeConfig.Likelihood likelihood = VaeConfig.Likelihood.BERNOULLI;

    @Option(names = "--lr", description = "Adam learning rate (default: ${DEFAULT-VALUE})")
    double learningRate = 1e-3;

    @Option(names = "--lr-decay", description = "multiply the learning rate by this every --lr-decay-every epochs (default: 1, none)")
    double lrDecay = 1.0;

    @Option(names = "--lr-decay-every", description = "epochs between learning-rate decays (default: ${DEFAULT-VALUE})")
    int lrDecayEvery = 1;

    @Option(names = "--patience", description = "stop after this many epochs without validation improvement and keep the best; 0 never stops early (default: ${DEFAULT-VALUE})")
    int patience = 0;

    @Option(names = "--kl-warmup", paramLabel = "EPOCHS", description = "raise the KL term's weight linearly to 1 over this many epochs; reported losses are always the true negative ELBO (default: ${DEFAULT-VALUE}, none)")
    int klWarmup = 0;

    @Option(names = "--keep", description = "parameters to keep at the end: best (the epoch with the lowest validation loss, the default) or last")
    Keep keep = Keep.best;

    /** Which epoch's parameters a run ends with. */
    enum Keep { best, last }

    @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--iw-samples", paramLabel = "K", description = "importance samples per test image for the NLL (default: ${DEFAULT-VALUE})")
    int iwSamples = 5000;

    @Option(names = "--iw-examples", paramLabel = "N", description = "test images for the NLL; 0 means all (default: ${DEFAULT-VALUE})")
    int iwExamples = 0;

    @Option(names = "--output", paramLabel = "DIR", description = "run folder (default: runs/vae-DATE-TIME)")
    Path output;

    @Option(names = "--checkpoint-every", paramLabel = "STEPS", description = "write the resumable checkpoint.safetensors every this many steps; it is also written at the end and on Ctrl-C (default: ${DEFAULT-VALUE}; 0: only then)")
    int checkpointEvery = 1000;

    @Option(names = "--resume", description = "continue the run in --output from its checkpoint.safetensors, with its settings (only --data-dir and --detect-anomaly may be given again)")
    boolean resume;

    @Option(names = "--detect-anomaly", description = "check every op's values and gradients and name the first to produce NaN or infinity (slower)")
    boolean detectAnomaly;

    @Option(names = "--quick", description = "a smoke run: 2 epochs of 5 batches, small evaluations")
    boolean quick;

    @Spec
    CommandSpec spec;

    private final PrintStream log;

    TrainVae(PrintStream log) {
        this.log = log;
    }

    /** The name of the resumable checkpoint in a run folder. */
    static final String CHECKPOINT = "checkpoint.safetensors";

    /** Rejects out-of-range values before any work, naming the flag, its value and what is allowed. */
    private void validate() {
        atLeast("--epochs", epochs, 1);
        atLeast("--batch-size", batchSize, 1);
        atLeast("--latent", latent, 1);
        for (int h : hidden) {
            atLeast("--hidden", h, 1);
        }
        atLeast("--iw-samples", iwSamples, 1);
        atLeast("--iw-examples", iwExamples, 0);
        atLeast("--patience", patience, 0);
        atLeast("--lr-decay-every", lrDecayEvery, 1);
        atLeast("--kl-warmup", klWarmup, 0);
        atLeast("--checkpoint-every", checkpointEvery, 0);
        if (!(learningRate > 0) || !(lrDecay > 0)) {
            throw new IllegalArgumentException("--lr and --lr-decay must be positive, got " + learningRate + " and " + lrDecay);
        }
        if (!Datasets.names().contains(dataset)) {
            throw new IllegalArgumentException("--dataset: unknown '" + dataset + "' (allowed: "
                    + String.join(", ", Datasets.names()) + ")");
        }
        org.autodiff4j.nn.Activation.named(activation);
    }

    private static void atLeast(String flag, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(flag + " must be at least " + min + ", got " + value);
        }
    }

    @Override
    public Integer call() throws IOException {
        if (resume) {
            return resumeRun();
        }
        validate();
        Path runDir = output != null ? output
                : Path.of("runs", "vae-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        RunFolders.requireEmpty(runDir);
        return run(runDir, RunFolders.ownArguments(spec), null);
    }

    /** Re-reads the run's settings from its checkpoint and continues it. */
    private int resumeRun() throws IOException {
        List<String> args = RunFolders.argumentsToResume(spec, output, CHECKPOINT, "train-vae", "--data-dir",
                "--detect-anomaly");
        TrainVae saved = new TrainVae(log);
        new CommandLine(saved).parseArgs(args.toArray(String[]::new));
        saved.dataDir = dataDir != null ? dataDir : saved.dataDir;
        saved.detectAnomaly = detectAnomaly;
        saved.validate();
        return saved.run(output, args, output.resolve(CHECKPOINT));
    }

    private int run(Path runDir, List<String> args, Path resumeFrom) throws IOException {
        if (quick) {
            epochs = Math.min(epochs, 2);
            iwSamples = Math.min(iwSamples, 10);
            iwExamples = iwExamples == 0 ? 16 : Math.min(iwExamples, 16);
        }
        log.println("autodiff4j: BLAS: " + Blas.describe());

        // data
        Splits data = loadData();
        log.printf("data: %s train %d, valid %d, test %d images%n", dataset, data.train.size(), data.valid.size(),
                data.test.size());

        // model and optimiser
        Generator g = new Generator(seed);
        VaeConfig config = new VaeConfig(data.train.height() * data.train.width(), hidden, latent, activation, likelihood);
        Vae vae = new Vae(config, g);
        Adam adam = new Adam(vae.namedParameters(), learningRate, 0.9, 0.999, 1e-8, 0.0);
        log.printf("model: VAE %d-%s-%d, %s, %s likelihood, %,d parameters; Adam lr %.3g, batch %d, seed %d%n",
                config.inputDim(), hidden, latent, activation, likelihood.name().toLowerCase(), vae.parameterCount(),
                learningRate, batchSize, seed);
        VaeTask task = new VaeTask(vae, adam, data.train, data.valid, new VaeTask.Options(batchSize,
                LearningRateSchedule.step(lrDecayEvery, lrDecay),
                likelihood == VaeConfig.Likelihood.BERNOULLI && !dataset.equals("binarized-mnist"), klWarmup));
        Map<String, String> metadata = new LinkedHashMap<>(config.toMetadata());
        metadata.putAll(RunFolders.argumentsMetadata("train-vae", args));
        RunFolder out = new RunFolder(runDir);
        TrainLoop loop = new TrainLoop(task, g, TrainLoop.Options.epochs(epochs)
                .withCheckpoint(out.dir().resolve(CHECKPOINT), checkpointEvery).withMetadata(metadata)
                .withEarlyStopping("valid.loss", patience, keep == Keep.best).withStepLimits(quick ? 5 : 0, 0));

        // train, with sample grids from fixed z at the first, middle and last epoch
        Tensor fixedZ = Tensor.randn(new Generator(seed + 1), DType.FLOAT32, 64, latent);
        List<EpochRecord> history;
        try (Anomaly ignored = detectAnomaly ? Anomaly.detect() : null;
             ProgressListener progress = new ProgressListener(log, epochs).withEpochLine(VaeFigures::epochLine)) {
            TrainListener listener = TrainListener.all(progress, VaeFigures.sampleGrids(out, vae, fixedZ,
                    data.train.height(), data.train.width(), epochs));
            if (resumeFrom != null) {
                RunState saved = loop.load(resumeFrom);
                log.printf("resuming %s after %d epochs and %d steps%s%n", runDir, saved.history().size(), saved.step(),
                        saved.finished() ? " (training had finished: evaluating)" : "");
                history = loop.run(listener);
            } else {
                history = loop.run(listener);
            }
        } catch (TrainingStopped e) {
            log.println(e.getMessage() + ": ./autodiff4j train-vae --resume --output " + out.dir());
            return 130;
        }
        // over every session of a resumed run: the epochs' own training times
        double trainSeconds = history.stream().mapToDouble(EpochRecord::seconds).sum();
        VaeFigures.writeCurves(out, history);

        // evaluate and write the rest
        EpochRecord best = VaeFigures.best(history);
        EpochRecord kept = keep == Keep.best ? best : history.get(history.size() - 1);
        log.printf("kept the parameters of epoch %d (%s validation -ELBO %.2f)%n", kept.epoch(), keep,
                kept.get("valid.loss"));
        long evalStart = System.nanoTime();
        VaeEvaluation.Elbo test = VaeEvaluation.elbo(vae, data.test.images(), batchSize, g);
        log.printf("test negative ELBO %.2f nats (reconstruction %.2f, KL %.2f)%n", test.loss(), test.reconstruction(),
                test.kl());
        Dataset iwSet = iwExamples > 0 ? Datasets.spread(data.test, iwExamples) : data.test;
        log.printf("importance-weighted NLL: k = %d over %d test images...%n", iwSamples, iwSet.size());
        double iwNll = VaeFigures.importanceWeightedNll(vae, iwSet.images(), iwSamples, g, log);
        double evalSeconds = (System.nanoTime() - evalStart) / 1e9;
        log.printf("test NLL (IWAE bound, k = %d) %.2f nats%n", iwSamples, iwNll);
        Map<String, Object> results = results(config, history, kept, best, test, iwNll, iwSet.size(), trainSeconds,
                evalSeconds);
        Report report = new Report("VAE on " + dataset).config(configuration(config)).results(results).history(history);
        VaeFigures.writePictures(out, vae, data.test, g, report);
        Checkpoint.save(out.dir().resolve("vae.safetensors"), vae, adam, config.toMetadata());
        out.writeText("results.json", new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(results) + "\n");
        report.write(out);
        log.printf("training %.1f s (%.2f s per epoch, validation excluded), evaluation %.1f s; wrote %s%n", trainSeconds,
                trainSeconds / history.size(), evalSeconds, out.dir());
        return 0;
    }

    private record Splits(Dataset train, Dataset valid, Dataset test) {
    }

    /** Train, validation and test splits; for MNIST and Fashion-MNIST the last 10000 training images validate. */
    private Splits loadData() throws IOException {
        Datasets sets = Datasets.standard(dataDir);
        Splits s;
        if (dataset.equals("binarized-mnist")) {
            s = new Splits(sets.load(dataset, "train"), sets.load(dataset, "valid"), sets.load(dataset, "test"));
        } else {
            Dataset all = sets.load(dataset, "train");
            Dataset test = sets.load(dataset, "test");
            int cut = all.size() - 10_000;
            Splits raw = new Splits(all.slice(0, cut), all.slice(cut, all.size()), test);
            s = likelihood == VaeConfig.Likelihood.BERNOULLI
                    ? new Splits(raw.train, binarized(raw.valid, seed + 2), binarized(raw.test, seed + 3)) : raw;
        }
        if (quick) {
            s = new Splits(s.train.head(5 * batchSize), Datasets.spread(s.valid, 256), Datasets.spread(s.test, 256));
        }
        return s;
    }

    /** One fixed Bernoulli draw of a grayscale set, so evaluations compare like with like. */
    private static Dataset binarized(Dataset d, long seed) {
        return new Dataset(d.name(), d.sampleBinarized(new Generator(seed)), d.labels(), d.height(), d.width());
    }

    private Map<String, Object> results(VaeConfig config, List<EpochRecord> history, EpochRecord kept, EpochRecord best,
                                        VaeEvaluation.Elbo test, double iwNll, int iwCount, double trainSeconds,
                                        double evalSeconds) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("dataset", dataset);
        r.put("model", config.toMetadata());
        r.put("seed", seed);
        r.put("epochs_run", history.size());
        r.put("kept", keep.name());
        r.put("kept_epoch", kept.epoch());
        r.put("best_valid_epoch", best.epoch());
        r.put("best_valid_neg_elbo", best.get("valid.loss"));
        r.put("last_valid_neg_elbo", history.get(history.size() - 1).get("valid.loss"));
        r.put("test_neg_elbo", test.loss());
        r.put("test_reconstruction", test.reconstruction());
        r.put("test_kl", test.kl());
        r.put("test_iw_nll", iwNll);
        r.put("iw_samples", iwSamples);
        r.put("iw_examples", iwCount);
        r.put("train_seconds", trainSeconds);
        r.put("eval_seconds", evalSeconds);
        r.put("blas", Blas.describe());
        r.put("quick", quick);
        return r;
    }

    /** The run's settings for the report. */
    private Map<String, Object> configuration(VaeConfig config) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("data set", dataset);
        c.put("model", config.inputDim() + "-" + hidden + "-" + latent + ", " + activation + ", "
                + likelihood.name().toLowerCase(java.util.Locale.ROOT) + " likelihood");
        c.put("epochs", epochs);
        c.put("batch size", batchSize);
        c.put("learning rate", learningRate + (lrDecay != 1 ? " x " + lrDecay + " every " + lrDecayEvery + " epochs" : ""));
        c.put("KL warm-up epochs", klWarmup);
        c.put("patience", patience);
        c.put("keep", keep.name());
        c.put("seed", seed);
        c.put("IWAE samples", iwSamples);
        c.put("BLAS", Blas.describe());
        c.put("version", org.autodiff4j.tensor.Version.get());
        return c;
    }
}
