package org.autodiff4j.runs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.autodiff4j.models.data.Dataset;
import org.autodiff4j.models.data.Datasets;
import org.autodiff4j.models.gan.Dcgan;
import org.autodiff4j.models.gan.Gan;
import org.autodiff4j.models.gan.GanConfig;
import org.autodiff4j.models.gan.GanTask;
import org.autodiff4j.models.gan.GanTrainer;
import org.autodiff4j.models.train.EpochRecord;
import org.autodiff4j.models.train.TrainLoop;
import org.autodiff4j.nn.Checkpoint;
import org.autodiff4j.tensor.Blas;
import org.autodiff4j.tensor.Convolutions;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;
import org.autodiff4j.tensor.Version;

/**
 * The bundled MNIST GAN experiment, the work behind {@code train-gan}: the design notes' networks on images
 * scaled to [-1, 1], a {@link TrainLoop} with checkpoints and resume, then into the run folder sample grids from
 * fixed z at the first, middle and last epoch, loss and D-output curves, interpolations, {@code gan.safetensors},
 * what a digit classifier makes of the samples (when labelled MNIST is at hand), {@code results.json} and
 * {@code report.html}.
 */
public final class GanExperiment {

    /**
     * The training images as the GAN sees them, scaled to [-1, 1], with what the run records of the split. Only the
     * scaled copy stays: the split's own [0, 1] images are dropped once it is made (157 MB for MNIST).
     */
    private record TrainImages(Tensor scaled, int height, int width, String fingerprint) {
        static TrainImages load(Datasets sets, String dataset, int limit, int k, int batchSize, boolean nchw)
                throws IOException {
            Dataset all = sets.load(dataset, "train");
            Dataset train = all.size() > limit ? all.head(limit) : all;
            if (train.size() < k * batchSize) {
                throw new IllegalArgumentException(dataset + " train has " + train.size() + " images, fewer than one "
                        + "round of k = " + k + " batches of " + batchSize);
            }
            return new TrainImages(train.scaledImages(2, -1, nchw), train.height(), train.width(), train.fingerprint());
        }
    }

    private GanExperiment() {
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
     * @throws IllegalArgumentException when the data set holds fewer images than one round, or the discriminator
     *         normalisation is unknown or is not batch for the mlp networks
     * @throws org.autodiff4j.models.train.TrainingStopped when stopped by Ctrl-C or SIGTERM after its checkpoint
     */
    public static Map<String, Object> run(GanExperimentSettings s, Datasets sets, RunFolder out,
                                          Map<String, String> runMetadata, Path resumeFrom, PrintStream log)
            throws IOException {
        GanSettings o = s.gan();
        int epochs = s.quick() ? Math.min(s.epochs(), 2) : s.epochs();
        log.println("autodiff4j: BLAS: " + Blas.describe());
        log.println("autodiff4j: convolutions: " + Convolutions.describe());

        boolean dcgan = s.arch().equals("dcgan");
        Dcgan.Norm norm = discriminatorNorm(s.arch(), s.discriminatorNorm());

        // data, scaled to [-1, 1] for the tanh generator
        TrainImages train = TrainImages.load(sets, s.dataset(), s.quick() ? o.k() * o.batchSize() * 10 : Integer.MAX_VALUE,
                o.k(), o.batchSize(), dcgan);
        Tensor images = train.scaled();
        int height = train.height();
        int width = train.width();
        log.printf("data: %s train %d images%n", s.dataset(), images.shape().dim(0));

        // model, trainer, task and loop
        Generator g = new Generator(s.seed());
        GanConfig config = new GanConfig(o.latent(), GanConfig.mnist().generatorHidden(),
                GanConfig.mnist().discriminatorHidden(), height * width, 0.2, true, o.pack());
        if (dcgan && (height != width || height % 4 != 0)) {
            throw new IllegalArgumentException("--arch dcgan needs square images of a multiple of 4 pixels, "
                    + "got " + height + "x" + width);
        }
        Gan gan = dcgan ? Dcgan.of(o.latent(), 1, height, o.pack(), o.ema(), norm, g) : Gan.mlp(config, o.ema(), g);
        int stepsPerEpoch = Math.min(images.shape().dim(0) / o.batchSize() / o.k(), s.quick() ? 10 : Integer.MAX_VALUE);
        GanTrainer trainer = o.trainer(gan, o.trainerOptions(s.instanceNoise(), s.noiseAnnealEpochs() * stepsPerEpoch), g);
        String networks = dcgan ? String.format(Locale.ROOT, "DCGAN, z %d to 128x%dx%d to 64x%dx%d to 1x%dx%d and back%s",
                o.latent(), height / 4, width / 4, height / 2, width / 2, height, width,
                o.pack() > 1 ? ", discriminator judging " + o.pack() + " samples at once" : "")
                + (norm == Dcgan.Norm.BATCH ? "" : norm == Dcgan.Norm.LAYER ? ", layer norm in the discriminator"
                        : ", no normalisation in the discriminator")
                : String.format(Locale.ROOT, "generator %d-%s-%d (tanh), discriminator %d-%s-1, LeakyReLU 0.2",
                o.latent(), config.generatorHidden(), config.dataDim(), config.dataDim(), config.discriminatorHidden());
        log.printf("model: %s, %,d parameters; Adam lr %.3g beta1 %.2f, batch %d, k %d, %s loss, instance noise %.2g%s%n",
                networks, gan.trainedParameterCount(), o.learningRate(), o.beta1(), o.batchSize(), o.k(), o.loss(),
                s.instanceNoise(), o.ema() > 0 ? String.format(Locale.ROOT, "; pictures and reports from the "
                        + "generator's average (decay %s)", o.ema()) : "");
        if (dcgan && norm == Dcgan.Norm.BATCH && (o.gradientPenalty() > 0 || o.r1() > 0)) {
            log.println("note: with batch norm in the discriminator the gradient penalty is taken per batch, not per "
                    + "sample; --discriminator-norm layer (or none) keeps it per sample");
        }
        Map<String, String> metadata = new LinkedHashMap<>(gan.description());
        metadata.putAll(runMetadata);
        Map<String, String> fingerprints = Map.of(TrainingRun.dataKey("train"), train.fingerprint());
        metadata.putAll(fingerprints);
        TrainLoop loop = new TrainLoop(GanTask.onImages(gan, trainer, images, o.batchSize()), g,
                TrainLoop.Options.epochs(epochs).withCheckpoint(out.dir().resolve(VaeExperiment.CHECKPOINT),
                        s.checkpointEvery()).withMetadata(metadata).withStepLimits(s.quick() ? 10 : 0, 0).withCurve(50));

        // train, with sample grids from fixed z at the first, middle and last epoch
        Tensor fixedZ = gan.noise(64, new Generator(s.seed() + 1));
        EpochGrids grids = new EpochGrids(out, () -> toUnit(gan.draw(fixedZ)), height, width, epochs);
        List<EpochRecord> history = TrainingRun.run(loop, resumeFrom, out.dir(), s.detectAnomaly(), epochs,
                GanExperiment::epochLine, grids, log, fingerprints);
        double trainSeconds = history.stream().mapToDouble(EpochRecord::seconds).sum();
        long steps = loop.state().step();
        Report report = new Report("GAN on " + s.dataset()).history(history);
        writeCurves(out, loop.state().curve(), trainer.options().generatorLoss() == Gan.GeneratorLoss.WASSERSTEIN,
                report);
        writeInterpolations(out, gan, g, s.slerp(), height, width, report);
        Checkpoint.save(out.dir().resolve("gan.safetensors"), gan, null, gan.description());

        // what a digit classifier makes of the samples, and their Fréchet distance to the test images
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("dataset", s.dataset());
        results.put("model", gan.description());
        results.put("seed", s.seed());
        results.put("epochs", epochs);
        results.put("steps", steps);
        results.put("instance_noise", s.instanceNoise());
        results.put("noise_anneal_epochs", s.noiseAnnealEpochs());
        results.put("real_label", o.realLabel());
        results.put("generator_loss", o.loss());
        results.put("k", o.k());
        results.put("learning_rate", o.learningRate());
        results.put("beta1", o.beta1());
        results.put("beta2", o.beta2());
        results.put("batch_size", o.batchSize());
        results.put("gradient_penalty", o.gradientPenalty());
        results.put("r1", o.r1());
        results.put("train_seconds", trainSeconds);
        results.put("blas", Blas.describe());
        results.put("convolutions", Convolutions.route());
        results.put("quick", s.quick());
        if (!s.dataset().equals("fashion-mnist")) {
            try {
                DigitReport.run(sets, gan, s.quick() ? Math.min(s.reportSamples(), 200) : s.reportSamples(),
                        s.quick() ? 1 : 10, s.seed(), g, log, results);
            } catch (IOException e) {
                log.println("digit report skipped: " + e.getMessage());
                results.put("classifier_skipped", e.getMessage());
            }
        }
        if (s.quick()) {
            log.println("Frechet distance: not in a quick run (its classifier trains for minutes on first use); "
                    + "evaluate --fid gives it");
        } else {
            try {
                FrechetReport.run(sets, s.dataset(), gan, s.reportSamples(), g, log, results);
            } catch (IOException e) {
                log.println("Frechet distance skipped: " + e.getMessage());
                results.put("fid_skipped", e.getMessage());
            }
        }
        out.writeText("results.json", new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(results) + "\n");
        grids.addTo(report, "Samples from 64 fixed z");
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("data set", s.dataset());
        settings.put("model", gan.description());
        settings.put("epochs", epochs);
        settings.put("batch size", o.batchSize());
        settings.put("k", o.k());
        settings.put("seed", s.seed());
        settings.put("BLAS", Blas.describe());
        settings.put("convolutions", Convolutions.describe());
        settings.put("version", Version.get());
        report.config(settings).results(results).write(out);
        log.printf("training %.1f s (%.1f s per 1000 steps); wrote %s%n", trainSeconds, 1000 * trainSeconds / steps, out.dir());
        return results;
    }

    /**
     * The discriminator normalisation a run of {@code arch} asks for, checked before any work: the DCGAN takes batch,
     * layer or none; the mlp networks have none, so they take only batch, the default.
     *
     * @param arch mlp or dcgan
     * @param name batch, layer or none
     * @return the normalisation
     * @throws IllegalArgumentException when the name is unknown, or not batch for the mlp networks
     */
    public static Dcgan.Norm discriminatorNorm(String arch, String name) {
        Dcgan.Norm norm = Dcgan.Norm.named(name);
        if (!arch.equals("dcgan") && norm != Dcgan.Norm.BATCH) {
            throw new IllegalArgumentException("--discriminator-norm needs --arch dcgan (the mlp discriminator has no "
                    + "normalisation)");
        }
        return norm;
    }

    private static String epochLine(EpochRecord r) {
        return String.format(Locale.ROOT, "epoch %3d  D loss %.3f  G loss %.3f  D(x) %.3f  D(G(z)) %.3f  (%d steps)",
                r.epoch(), r.get("train.d_loss"), r.get("train.g_loss"), r.get("train.d_real"), r.get("train.d_fake"), r.step());
    }

    /** Generator output in [-1, 1] ([n, 1, H, W] images or [n, H W] rows) back to rows of pixel intensities in [0, 1]. */
    static Tensor toUnit(Tensor x) {
        int n = x.shape().dim(0);
        return x.add(1.0).mul(0.5).clamp(0, 1).reshape(n, n == 0 ? 0 : x.size() / n);
    }

    private static void writeCurves(RunFolder out, List<double[]> curve, boolean critic, Report report)
            throws IOException {
        StringBuilder csv = new StringBuilder("step,d_loss,g_loss,d_real,d_fake\n");
        double[][] cols = new double[5][curve.size()];
        for (int i = 0; i < curve.size(); i++) {
            double[] c = curve.get(i);
            csv.append(String.format(Locale.ROOT, "%d,%.5f,%.5f,%.4f,%.4f%n", (long) c[0], c[1], c[2], c[3], c[4]));
            for (int j = 0; j < 5; j++) {
                cols[j][i] = c[j];
            }
        }
        out.writeText("losses.csv", csv.toString());
        if (!curve.isEmpty()) {
            byte[] losses = Charts.line("GAN losses", "generator step", "loss", cols[0], List.of("D", "G"),
                    List.of(cols[1], cols[2]));
            byte[] outputs = Charts.line("discriminator outputs", "generator step",
                    critic ? "mean critic score" : "mean probability", cols[0],
                    List.of("D(x)", "D(G(z))"), List.of(cols[3], cols[4]));
            out.write("losses.png", losses);
            out.write("d-outputs.png", outputs);
            report.picture("Losses every 50 steps", losses).picture("D(x) and D(G(z)) every 50 steps", outputs);
        }
    }

    private static void writeInterpolations(RunFolder out, Gan gan, Generator g, boolean slerp, int height, int width,
                                            Report report) throws IOException {
        Tensor[] strips = new Tensor[8];
        for (int i = 0; i < strips.length; i++) {
            strips[i] = toUnit(gan.interpolate(gan.noise(1, g), gan.noise(1, g), 10, slerp));
        }
        byte[] png = ImageGrid.png(Tensor.concat(0, strips), height, width, 10, 2);
        out.write("interpolations.png", png);
        report.picture("Interpolations between random z (" + (slerp ? "spherical" : "linear") + ")", png);
    }
}
