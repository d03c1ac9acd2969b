package org.autodiff4j.runs;

import java.awt.Color;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.autodiff4j.autograd.Anomaly;
import org.autodiff4j.models.gan.Gan;
import org.autodiff4j.models.gan.GanConfig;
import org.autodiff4j.models.gan.GanTask;
import org.autodiff4j.models.gan.GanTrainer;
import org.autodiff4j.models.gan.MixtureOfGaussians;
import org.autodiff4j.models.train.EpochRecord;
import org.autodiff4j.models.train.StepContext;
import org.autodiff4j.models.train.StepResult;
import org.autodiff4j.models.train.TrainListener;
import org.autodiff4j.models.train.TrainLoop;
import org.autodiff4j.nn.optim.LearningRateSchedule;
import org.autodiff4j.tensor.Blas;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;
import org.autodiff4j.tensor.Version;

/**
 * The 2-D mixture-of-Gaussians mode-collapse benchmark (Unrolled GAN, VEEGAN, PacGAN), the work behind
 * {@code gan-mixture}: a small GAN on the ring (8 modes) or grid (25 modes), then from the samples the modes
 * covered and the share of high-quality samples, {@code scatter.png}, {@code losses.csv},
 * {@code metrics.json} and {@code report.html}.
 */
public final class MixtureExperiment {

    /**
     * What to train and how.
     *
     * @param mixture      ring or grid
     * @param gan          the GAN's settings
     * @param steps        generator steps
     * @param hidden       hidden widths of both networks
     * @param slope        LeakyReLU slope (0: ReLU)
     * @param linearDecay  whether the learning rate falls linearly to 0 at the last step
     * @param spectralNorm whether the discriminator's layers are spectrally normalised
     * @param samples      samples for the metrics
     * @param seed         the seed of every random draw of the run
     * @param checkpointEvery steps between the run's checkpoints (0: only at the end and on Ctrl-C)
     * @param detectAnomaly whether every op's values and gradients are checked for NaN and infinity
     * @param quick        a smoke run: at most 200 steps
     */
    public record Settings(String mixture, GanSettings gan, int steps, List<Integer> hidden, double slope,
                           boolean linearDecay, boolean spectralNorm, int samples, long seed, int checkpointEvery,
                           boolean detectAnomaly, boolean quick) {

        /**
         * These settings with another seed.
         *
         * @param seed the seed of every random draw of the run
         * @return the settings
         */
        public Settings withSeed(long seed) {
            return new Settings(mixture, gan, steps, hidden, slope, linearDecay, spectralNorm, samples, seed,
                    checkpointEvery, detectAnomaly, quick);
        }

        /**
         * A builder with the command line's defaults.
         *
         * @return the builder
         */
        public static Builder builder() {
            return new Builder();
        }

        /** Settings by name; each method sets one and returns the builder. */
        public static final class Builder {
            private String mixture = "ring";
            private GanSettings gan = GanSettings.builder().batchSize(256).latent(16).learningRate(1e-3).realLabel(1.0).build();
            private int steps = 10000;
            private List<Integer> hidden = List.of(128, 128);
            private double slope = 0.0;
            private boolean linearDecay = false;
            private boolean spectralNorm = false;
            private int samples = 2500;
            private long seed = 0;
            private int checkpointEvery = 1000;
            private boolean detectAnomaly = false;
            private boolean quick = false;

            private Builder() {
            }

            /**
             * Sets {@code mixture}: ring or grid.
             *
             * @param value the value
             * @return this builder
             */
            public Builder mixture(String value) {
                this.mixture = value;
                return this;
            }

            /**
             * Sets {@code gan}: the GAN's settings.
             *
             * @param value the value
             * @return this builder
             */
            public Builder gan(GanSettings value) {
                this.gan = value;
                return this;
            }

            /**
             * Sets {@code steps}: generator steps.
             *
             * @param value the value
             * @return this builder
             */
            public Builder steps(int value) {
                this.steps = value;
                return this;
            }

            /**
             * Sets {@code hidden}: hidden widths of both networks.
             *
             * @param value the value
             * @return this builder
             */
            public Builder hidden(List<Integer> value) {
                this.hidden = value;
                return this;
            }

            /**
             * Sets {@code slope}: LeakyReLU slope (0: ReLU).
             *
             * @param value the value
             * @return this builder
             */
            public Builder slope(double value) {
                this.slope = value;
                return this;
            }

            /**
             * Sets {@code linearDecay}: whether the learning rate falls linearly to 0 at the last step.
             *
             * @param value the value
             * @return this builder
             */
            public Builder linearDecay(boolean value) {
                this.linearDecay = value;
                return this;
            }

            /**
             * Sets {@code spectralNorm}: whether the discriminator's layers are spectrally normalised.
             *
             * @param value the value
             * @return this builder
             */
            public Builder spectralNorm(boolean value) {
                this.spectralNorm = value;
                return this;
            }

            /**
             * Sets {@code samples}: samples for the metrics.
             *
             * @param value the value
             * @return this builder
             */
            public Builder samples(int value) {
                this.samples = value;
                return this;
            }

            /**
             * Sets {@code seed}: the seed of every random draw of the run.
             *
             * @param value the value
             * @return this builder
             */
            public Builder seed(long value) {
                this.seed = value;
                return this;
            }

            /**
             * Sets {@code checkpointEvery}: steps between the run's checkpoints (0: only at the end and on Ctrl-C).
             *
             * @param value the value
             * @return this builder
             */
            public Builder checkpointEvery(int value) {
                this.checkpointEvery = value;
                return this;
            }

            /**
             * Sets {@code detectAnomaly}: whether every op's values and gradients are checked for NaN and infinity.
             *
             * @param value the value
             * @return this builder
             */
            public Builder detectAnomaly(boolean value) {
                this.detectAnomaly = value;
                return this;
            }

            /**
             * Sets {@code quick}: a smoke run: at most 200 steps.
             *
             * @param value the value
             * @return this builder
             */
            public Builder quick(boolean value) {
                this.quick = value;
                return this;
            }

            /**
             * The settings.
             *
             * @return the settings
             */
            public Settings build() {
                return new Settings(mixture, gan, steps, hidden, slope, linearDecay, spectralNorm, samples, seed,
                        checkpointEvery, detectAnomaly, quick);
            }
        }
    }

    private MixtureExperiment() {
    }

    /**
     * The mixture called {@code name}.
     *
     * @param name ring or grid
     * @return the mixture
     * @throws IllegalArgumentException naming the allowed names otherwise
     */
    public static MixtureOfGaussians mixture(String name) {
        return switch (name) {
            case "ring" -> MixtureOfGaussians.ring();
            case "grid" -> MixtureOfGaussians.grid();
            default -> throw new IllegalArgumentException("unknown mixture '" + name + "' (allowed: ring, grid)");
        };
    }

    /**
     * Runs the benchmark into {@code out} from its start.
     *
     * @param s   the settings
     * @param out the run folder
     * @param log where progress lines go
     * @return the figures also written to {@code metrics.json}
     * @throws IOException when outputs cannot be written
     * @throws org.autodiff4j.models.train.TrainingStopped when stopped by Ctrl-C or SIGTERM after its checkpoint
     */
    public static Map<String, Object> run(Settings s, RunFolder out, PrintStream log) throws IOException {
        return run(s, out, Map.of(), null, log);
    }

    /**
     * Runs the benchmark into {@code out}, or continues it from {@code resumeFrom}, writing {@code checkpoint.safetensors}
     * every {@link Settings#checkpointEvery} steps, at the end and on Ctrl-C. A run continued from any of its checkpoints
     * ends with the same figures, bit for bit, as the run that was not stopped.
     *
     * @param s           the settings
     * @param out         the run folder
     * @param runMetadata extra checkpoint metadata (a command line's arguments, for its resume)
     * @param resumeFrom  a checkpoint of this run to continue, or null to start
     * @param log         where progress lines go
     * @return the figures also written to {@code metrics.json}
     * @throws IOException when a checkpoint cannot be read or outputs cannot be written
     * @throws org.autodiff4j.models.train.TrainingStopped when stopped by Ctrl-C or SIGTERM after its checkpoint
     */
    public static Map<String, Object> run(Settings s, RunFolder out, Map<String, String> runMetadata, Path resumeFrom,
                                          PrintStream log) throws IOException {
        GanSettings o = s.gan();
        MixtureOfGaussians data = mixture(s.mixture());
        int total = s.quick() ? Math.min(s.steps(), 200) : s.steps();
        log.println("autodiff4j: BLAS: " + Blas.describe());
        Generator g = new Generator(s.seed());
        Gan gan = Gan.mlp(new GanConfig(o.latent(), s.hidden(), s.hidden(), 2, s.slope(), false, o.pack(), s.spectralNorm()),
                o.ema(), g);
        GanTrainer trainer = o.trainer(gan, o.trainerOptions(0.0, 0), g);
        log.printf("GAN on the %s: generator %d-%s-2, discriminator %d-%s-1, %s loss, k %d, pack %d, %d steps of %d%n",
                s.mixture(), o.latent(), s.hidden(), 2 * o.pack(), s.hidden(), o.loss(), o.k(), o.pack(), total, o.batchSize());
        LearningRateSchedule schedule = s.linearDecay() ? LearningRateSchedule.linear(total, 0.0) : LearningRateSchedule.constant();
        Map<String, String> metadata = new LinkedHashMap<>(gan.description());
        metadata.putAll(runMetadata);
        TrainLoop loop = new TrainLoop(GanTask.onSampler(gan, trainer, data::sample, o.batchSize(), total, schedule), g,
                TrainLoop.Options.epochs(1).withCheckpoint(out.dir().resolve(VaeExperiment.CHECKPOINT), s.checkpointEvery())
                        .withMetadata(metadata).withCurve(100));
        if (resumeFrom != null) {
            log.printf("resuming %s after %d of %d steps%n", out.dir(), loop.load(resumeFrom).step(), total);
        }
        List<EpochRecord> history;
        try (Anomaly ignored = s.detectAnomaly() ? Anomaly.detect() : null) {
            history = loop.run(new TrainListener() {
                @Override
                public void stepDone(StepContext c, StepResult r, double examplesPerSecond) {
                    if (c.step() % 1000 == 0 || c.step() == total) {
                        Map<String, Double> f = r.figures();
                        log.printf("step %5d  D loss %.3f  G loss %.3f  D(x) %.3f  D(G(z)) %.3f%n", c.step(),
                                f.get("d_loss"), f.get("g_loss"), f.get("d_real"), f.get("d_fake"));
                    }
                }
            });
        }
        StringBuilder csv = new StringBuilder("step,d_loss,g_loss,d_real,d_fake\n");
        for (double[] row : loop.state().curve()) {
            csv.append(String.format(Locale.ROOT, "%d,%.5f,%.5f,%.4f,%.4f%n", (long) row[0], row[1], row[2], row[3], row[4]));
        }
        double seconds = history.get(0).seconds();

        Tensor generated = gan.draw(s.samples(), g);
        MixtureOfGaussians.Coverage c = data.coverage(generated);
        log.printf("modes covered %d/%d, high-quality samples %.1f%% (of %d), reverse KL %.3f; %.1f s%n", c.modesCovered(),
                c.modes(), 100 * c.highQuality(), s.samples(), c.reverseKl(), seconds);
        byte[] scatter = Charts.scatter("real (blue) and generated (orange), " + c.modesCovered() + "/" + c.modes()
                        + " modes, " + String.format(Locale.ROOT, "%.1f", 100 * c.highQuality()) + "% high quality",
                s.mixture().equals("ring") ? 1.5 : 6, List.of("real", "generated"),
                List.of(data.sample(s.samples(), new Generator(s.seed() + 1)), generated),
                List.of(new Color(31, 119, 180), new Color(255, 127, 14)));
        out.write("scatter.png", scatter);
        out.writeText("losses.csv", csv.toString());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("mixture", s.mixture());
        r.put("modes_covered", c.modesCovered());
        r.put("modes", c.modes());
        r.put("high_quality", c.highQuality());
        r.put("samples_per_mode", c.samplesPerMode());
        r.put("reverse_kl", c.reverseKl());
        r.put("samples", s.samples());
        r.put("steps", total);
        r.put("seed", s.seed());
        r.put("config", gan.config().toMetadata());
        r.put("generator_loss", o.loss());
        r.put("k", o.k());
        r.put("real_label", o.realLabel());
        r.put("learning_rate", o.learningRate());
        r.put("beta1", o.beta1());
        r.put("beta2", o.beta2());
        r.put("gradient_penalty", o.gradientPenalty());
        r.put("r1", o.r1());
        r.put("lr_decay", s.linearDecay() ? "linear" : "constant");
        r.put("spectral_norm", s.spectralNorm());
        r.put("batch_size", o.batchSize());
        r.put("seconds", seconds);
        out.writeText("metrics.json", new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r) + "\n");
        Map<String, Object> settings = new LinkedHashMap<>(r);
        settings.keySet().removeAll(List.of("modes_covered", "modes", "high_quality", "samples_per_mode", "reverse_kl",
                "seconds"));
        settings.put("BLAS", Blas.describe());
        settings.put("version", Version.get());
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("modes covered", c.modesCovered() + " / " + c.modes());
        figures.put("high-quality samples", c.highQuality());
        figures.put("reverse KL of the mode histogram", c.reverseKl());
        figures.put("seconds", seconds);
        new Report("GAN on the " + s.mixture() + " mixture").config(settings).results(figures)
                .picture("Real (blue) and generated (orange) samples", scatter).write(out);
        log.println("wrote " + out.dir());
        return r;
    }
}
