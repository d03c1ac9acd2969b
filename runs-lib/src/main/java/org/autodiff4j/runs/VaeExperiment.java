package org.autodiff4j.runs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.autodiff4j.models.data.Dataset;
import org.autodiff4j.models.data.Datasets;
import org.autodiff4j.models.train.EpochRecord;
import org.autodiff4j.models.train.TrainLoop;
import org.autodiff4j.models.vae.ConvVae;
import org.autodiff4j.models.vae.Vae;
import org.autodiff4j.models.vae.VaeConfig;
import org.autodiff4j.models.vae.VaeEvaluation;
import org.autodiff4j.models.vae.VaeTask;
import org.autodiff4j.nn.Checkpoint;
import org.autodiff4j.nn.optim.Adam;
import org.autodiff4j.nn.optim.LearningRateSchedule;
import org.autodiff4j.tensor.Blas;
import org.autodiff4j.tensor.Convolutions;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;
import org.autodiff4j.tensor.Version;

/**
 * The bundled VAE experiment, the work behind {@code train-vae}: data splits, the model, a {@link TrainLoop}
 * with checkpoints and resume, then the test negative ELBO and importance-weighted NLL, and into the run folder
 * {@code metrics.csv}, {@code loss.png}, sample grids at the first, middle and last epoch, reconstructions,
 * interpolations, the 2-D manifold for a 2-D latent space, {@code vae.safetensors}, {@code results.json} and
 * {@code report.html}.
 */
public final class VaeExperiment {
    /** The name of the resumable checkpoint in a run folder. */
    public static final String CHECKPOINT = "checkpoint.safetensors";

    private VaeExperiment() {
    }

    /**
     * Runs the experiment into {@code out}, or continues it from {@code resumeFrom}.
     *
     * @param s           the settings
     * @param sets        where the data sets are looked for
     * @param out         the run folder
     * @param runMetadata extra checkpoint metadata (a command line's arguments, for its resume)
     * @param resumeFrom  a checkpoint of this run to continue, or null to start
     * @param log         where progress lines go
     * @return the figures also written to {@code results.json}
     * @throws IOException when data cannot be read or outputs cannot be written
     * @throws org.autodiff4j.models.train.TrainingStopped when stopped by Ctrl-C or SIGTERM after its checkpoint
     */
    public static Map<String, Object> run(VaeSettings s, Datasets sets, RunFolder out, Map<String, String> runMetadata,
                                          Path resumeFrom, PrintStream log) throws IOException {
        int epochs = s.quick() ? Math.min(s.epochs(), 2) : s.epochs();
        int evaluationSamples = s.quick() ? Math.min(s.evaluationSamples(), 10) : s.evaluationSamples();
        int evaluationExamples = s.quick() ? (s.evaluationExamples() == 0 ? 16 : Math.min(s.evaluationExamples(), 16)) : s.evaluationExamples();
        log.println("autodiff4j: BLAS: " + Blas.describe());
        log.println("autodiff4j: convolutions: " + Convolutions.describe());

        // data
        boolean bernoulli = s.likelihood() == VaeConfig.Likelihood.BERNOULLI;
        Datasets.Splits data = sets.splits(s.dataset(), bernoulli, s.seed());
        if (s.quick()) {
            data = data.subset(5 * s.batchSize(), 256);
        }
        log.printf("data: %s train %d, valid %d, test %d images%n", s.dataset(), data.train().size(), data.valid().size(),
                data.test().size());

        // model, optimiser, task and loop
        Generator g = new Generator(s.seed());
        Vae vae = model(s, data.train(), g);
        Adam adam = new Adam(vae.namedParameters(), s.learningRate(), 0.9, 0.999, 1e-8, 0.0);
        log.printf("model: %s, %,d parameters; Adam lr %.3g, batch %d, seed %d%n", describe(s, vae.inputDim()),
                vae.parameterCount(), s.learningRate(), s.batchSize(), s.seed());
        if (s.initFrom() != null && resumeFrom == null) {
            if (!Files.isRegularFile(s.initFrom())) {
                throw new IOException(s.initFrom() + ": not a checkpoint file to start from (--init-from)");
            }
            Checkpoint.load(s.initFrom(), vae, null, vae.description().get(Checkpoint.MODEL_KEY));
            log.println("parameters from " + s.initFrom() + "; Adam and the schedule start afresh");
        }
        VaeTask task = new VaeTask(vae, adam, data.train(), data.valid(), new VaeTask.Options(s.batchSize(),
                LearningRateSchedule.step(s.lrDecayEvery(), s.lrDecay()), bernoulli && !s.dataset().equals("binarized-mnist"),
                s.klWarmup(), s.objectiveSamples()));
        Map<String, String> metadata = new LinkedHashMap<>(vae.description());
        metadata.putAll(runMetadata);
        Map<String, String> fingerprints = Map.of(TrainingRun.dataKey("train"), data.train().fingerprint(),
                TrainingRun.dataKey("valid"), data.valid().fingerprint());
        metadata.putAll(fingerprints);
        TrainLoop loop = new TrainLoop(task, g, TrainLoop.Options.epochs(epochs)
                .withCheckpoint(out.dir().resolve(CHECKPOINT), s.checkpointEvery()).withMetadata(metadata)
                .withEarlyStopping("valid.loss", s.patience(), s.keepBest()).withStepLimits(s.quick() ? 5 : 0, 0));

        // train, with sample grids from fixed z at the first, middle and last epoch
        Tensor fixedZ = Tensor.randn(new Generator(s.seed() + 1), DType.FLOAT32, 64, s.latent());
        EpochGrids grids = new EpochGrids(out, () -> vae.decodeMean(fixedZ), data.train().height(), data.train().width(),
                epochs);
        List<EpochRecord> history = TrainingRun.run(loop, resumeFrom, out.dir(), s.detectAnomaly(), epochs,
                r -> VaePictures.epochLine(r, s.objectiveSamples()), grids, log, fingerprints);
        double trainSeconds = history.stream().mapToDouble(EpochRecord::seconds).sum();
        VaePictures.writeCurves(out, history);

        // evaluate and write the rest
        EpochRecord best = VaePictures.best(history);
        EpochRecord kept = s.keepBest() ? best : history.get(history.size() - 1);
        log.printf("kept the parameters of epoch %d (%s validation -ELBO %.2f)%n", kept.epoch(),
                s.keepBest() ? "best" : "last", kept.get("valid.loss"));
        long evalStart = System.nanoTime();
        Map<String, Object> testFigures = testFigures(vae, data.test(), s.batchSize(), evaluationSamples, evaluationExamples, g, log);
        double evalSeconds = (System.nanoTime() - evalStart) / 1e9;

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("dataset", s.dataset());
        r.put("model", vae.description());
        r.put("seed", s.seed());
        r.put("epochs_run", history.size());
        r.put("kept", s.keepBest() ? "best" : "last");
        r.put("kept_epoch", kept.epoch());
        r.put("best_valid_epoch", best.epoch());
        r.put("best_valid_neg_elbo", best.get("valid.loss"));
        r.put("last_valid_neg_elbo", history.get(history.size() - 1).get("valid.loss"));
        r.putAll(testFigures);
        r.put("train_seconds", trainSeconds);
        r.put("eval_seconds", evalSeconds);
        r.put("blas", Blas.describe());
        r.put("convolutions", Convolutions.route());
        r.put("quick", s.quick());
        Report report = new Report("VAE on " + s.dataset()).config(configuration(s, vae.inputDim())).results(r).history(history);
        VaePictures.writePictures(out, vae, data.test(), g, report);
        grids.addTo(report, "Decoder means for 64 fixed z");
        Checkpoint.save(out.dir().resolve("vae.safetensors"), vae, adam, vae.description());
        out.writeText("results.json", new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r) + "\n");
        report.write(out);
        log.printf("training %.1f s (%.2f s per epoch, validation excluded), evaluation %.1f s; wrote %s%n", trainSeconds,
                trainSeconds / history.size(), evalSeconds, out.dir());
        return r;
    }

    /** The run's settings for the report. */
    private static Map<String, Object> configuration(VaeSettings s, int inputDim) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("data set", s.dataset());
        c.put("model", describe(s, inputDim));
        c.put("epochs", s.epochs());
        c.put("batch size", s.batchSize());
        c.put("learning rate", s.learningRate() + (s.lrDecay() != 1 ? " x " + s.lrDecay() + " every " + s.lrDecayEvery()
                + " epochs" : ""));
        c.put("KL warm-up epochs", s.klWarmup());
        c.put("training objective", s.objectiveSamples() > 1 ? "IWAE bound, k = " + s.objectiveSamples() : "ELBO");
        c.put("patience", s.patience());
        c.put("keep", s.keepBest() ? "best" : "last");
        c.put("seed", s.seed());
        c.put("IWAE samples", s.evaluationSamples());
        c.put("quick", s.quick());
        c.put("BLAS", Blas.describe());
        c.put("convolutions", Convolutions.describe());
        c.put("version", Version.get());
        return c;
    }

    /**
     * The VAE the settings name for images like {@code train}'s, initialised from {@code g}: the fully connected
     * networks of {@code hidden} and {@code activation}, or {@link ConvVae} with {@code hidden} for {@code arch conv}.
     *
     * @param s the settings
     * @param train the training images (their size fixes the model's)
     * @param g the generator the initial weights are drawn from
     * @return the model
     * @throws IllegalArgumentException when {@code arch conv} meets images that are not square of a multiple of 4 pixels
     */
    public static Vae model(VaeSettings s, Dataset train, Generator g) {
        int h = train.height();
        int w = train.width();
        if (s.arch().equals("conv")) {
            if (h != w || h % 4 != 0) {
                throw new IllegalArgumentException("--arch conv needs square images of a multiple of 4 pixels, "
                        + s.dataset() + " has " + h + "x" + w);
            }
            return ConvVae.of(s.latent(), s.hidden(), 1, h, s.likelihood(), g);
        }
        return new Vae(new VaeConfig(h * w, s.hidden(), s.latent(), s.activation(), s.likelihood()), g);
    }

    private static String describe(VaeSettings s, int inputDim) {
        String likelihood = s.likelihood().name().toLowerCase(Locale.ROOT) + " likelihood";
        return s.arch().equals("conv")
                ? "convolutional VAE (conv 32, 64 stride 2" + (s.hidden().isEmpty() ? "" : "; hidden " + s.hidden())
                        + "; latent " + s.latent() + "), " + likelihood
                : "VAE " + inputDim + "-" + s.hidden() + "-" + s.latent() + ", " + s.activation() + ", " + likelihood;
    }

    /**
     * A VAE's figures on a test set: the negative ELBO over every image, then the importance-weighted NLL over
     * {@code evaluationExamples} images spread evenly over it (0: all), with progress on {@code log}.
     *
     * @param vae the model
     * @param test the test set
     * @param batchSize images per batch for the ELBO
     * @param evaluationSamples importance samples per image (k of the estimate)
     * @param evaluationExamples images for the NLL (0: all)
     * @param g the generator to draw from
     * @param log where the figures and progress go
     * @return {@code test_neg_elbo}, {@code test_reconstruction}, {@code test_kl}, {@code test_iw_nll}, {@code iw_samples},
     *         {@code iw_examples}
     * @throws IllegalStateException when a figure is NaN or infinite (damaged or diverged weights), before the
     *         slower NLL when the ELBO already is
     */
    public static Map<String, Object> testFigures(Vae vae, Dataset test, int batchSize, int evaluationSamples, int evaluationExamples,
                                                  Generator g, PrintStream log) {
        try {
            return testFigures(vae, test, batchSize, evaluationSamples, evaluationExamples, g, log, null);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // not thrown by the evaluation in this process
        }
    }

    /**
     * Every test image's importance-weighted log p(x), image {@code i} drawing from {@code base.splitAt(i)}: in this
     * process, or in shards elsewhere ({@link org.autodiff4j.runs.jobs.ShardedEvaluation}).
     */
    @FunctionalInterface
    public interface LogLikelihoods {
        /**
         * The estimates.
         *
         * @param images the test images [n, inputDim]
         * @param k importance samples per image
         * @param base the generator the images' streams split from (not advanced)
         * @return every image's estimate, in order
         * @throws IOException when the work elsewhere fails
         */
        double[] of(Tensor images, int k, Generator base) throws IOException;
    }

    /**
     * As {@link #testFigures(Vae, Dataset, int, int, int, Generator, PrintStream)}, the log-likelihoods computed by
     * {@code estimator} (null: in this process); either way the figures are the same bit for bit.
     *
     * @param vae the model
     * @param test the test set
     * @param batchSize examples per batch of the ELBO
     * @param evaluationSamples importance samples per image
     * @param evaluationExamples test images for the NLL, 0 for all
     * @param g the generator to draw from (advanced past the ELBO's draws and one split per NLL image)
     * @param log where the figures and progress go
     * @param estimator where the log-likelihoods are computed, or null for here
     * @return as the other form
     * @throws IOException when {@code estimator} fails
     */
    public static Map<String, Object> testFigures(Vae vae, Dataset test, int batchSize, int evaluationSamples,
                                                  int evaluationExamples, Generator g, PrintStream log,
                                                  LogLikelihoods estimator) throws IOException {
        VaeEvaluation.Elbo e = VaeEvaluation.elbo(vae, test.images(), batchSize, g);
        finite(e.loss(), "test negative ELBO");
        log.printf("test negative ELBO %.2f nats (reconstruction %.2f, KL %.2f) over %d images%n", e.loss(),
                e.reconstruction(), e.kl(), test.size());
        Dataset iw = evaluationExamples > 0 ? Datasets.spread(test, evaluationExamples) : test;
        log.printf("importance-weighted NLL: k = %d over %d test images...%n", evaluationSamples, iw.size());
        Generator base = Generator.fromState(g.state());
        double[] ll = estimator != null ? estimator.of(iw.images(), evaluationSamples, base)
                : VaePictures.logLikelihoods(vae, iw.images(), evaluationSamples, base, log);
        for (int i = 0; i < iw.size(); i++) {
            g.split();
        }
        double sum = 0;
        for (double v : ll) {
            sum += v;
        }
        double nll = finite(-sum / ll.length, "test NLL");
        log.printf("test NLL (IWAE bound, k = %d) %.2f nats%n", evaluationSamples, nll);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("test_neg_elbo", e.loss());
        r.put("test_reconstruction", e.reconstruction());
        r.put("test_kl", e.kl());
        r.put("test_iw_nll", nll);
        r.put("iw_samples", evaluationSamples);
        r.put("iw_examples", iw.size());
        return r;
    }

    /**
     * The test images of {@code dataset} as {@code vae} models them: checked against its input size, and drawn as
     * binary pixels from grayscale ones for a Bernoulli decoder.
     *
     * @param sets where the data sets are looked for
     * @param dataset binarized-mnist, mnist or fashion-mnist
     * @param vae the model
     * @param seed the seed of the binarization
     * @return the test set
     * @throws IOException when the data cannot be read
     * @throws IllegalArgumentException when the images do not have the model's size
     */
    public static Dataset testSet(Datasets sets, String dataset, Vae vae, long seed) throws IOException {
        Dataset test = sets.load(dataset, "test");
        if (test.height() * test.width() != vae.inputDim()) {
            throw new IllegalArgumentException(dataset + " test images have " + test.height() * test.width()
                    + " pixels, the VAE expects " + vae.inputDim());
        }
        if (vae.likelihood() == VaeConfig.Likelihood.BERNOULLI && !dataset.equals("binarized-mnist")) {
            test = new Dataset(test.name(), test.sampleBinarized(new Generator(seed + 3)), test.labels(), test.height(),
                    test.width());
        }
        return test;
    }

    private static double finite(double value, String what) {
        if (!Double.isFinite(value)) {
            throw new IllegalStateException(what + " is " + value + " (damaged or diverged weights)");
        }
        return value;
    }
}
