package org.autodiff4j.examples;

import java.awt.Color;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.autodiff4j.models.gan.Gan;
import org.autodiff4j.models.gan.GanConfig;
import org.autodiff4j.models.gan.GanTask;
import org.autodiff4j.models.gan.GanTrainer;
import org.autodiff4j.models.train.EpochRecord;
import org.autodiff4j.models.train.StepContext;
import org.autodiff4j.models.train.StepResult;
import org.autodiff4j.models.train.TrainListener;
import org.autodiff4j.models.train.TrainLoop;
import org.autodiff4j.models.gan.MixtureOfGaussians;
import org.autodiff4j.nn.optim.LearningRateSchedule;
import org.autodiff4j.tensor.Blas;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;
import org.autodiff4j.viz.Charts;
import org.autodiff4j.viz.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The 2-D mixture-of-Gaussians mode-collapse benchmark (Unrolled GAN, VEEGAN, PacGAN): trains a small
 * GAN on the {@code ring} (8 modes) or {@code grid} (25 modes), then from 2500 samples reports the
 * modes covered and the share of high-quality samples (within 3 std of the nearest centre), and plots
 * real against generated points. {@code --pack N} turns on PacGAN packing.
 */
@Command(name = "gan-mixture", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a GAN on a 2-D mixture of Gaussians and measure mode coverage.")
public final class GanMixture implements Callable<Integer> {

    @Option(names = "--mixture", description = "ring (8 modes, default) or grid (25 modes)")
    String mixture = "ring";

    @Option(names = "--steps", description = "generator steps (default: ${DEFAULT-VALUE})")
    int steps = 10_000;

    @Option(names = "--batch-size", description = "samples per step (default: ${DEFAULT-VALUE})")
    int batchSize = 256;

    @Option(names = "--latent", description = "z dimensions (default: ${DEFAULT-VALUE})")
    int latent = 16;

    @Option(names = "--hidden", split = ",", paramLabel = "N[,N...]", hideParamSyntax = true,
            description = "hidden sizes of both networks (default: 128,128)")
    List<Integer> hidden = List.of(128, 128);

    @Option(names = "--slope", description = "LeakyReLU slope; 0 is ReLU (default: ${DEFAULT-VALUE})")
    double slope = 0.0;

    @Option(names = "--lr", description = "Adam learning rate of both networks (default: ${DEFAULT-VALUE})")
    double learningRate = 1e-3;

    @Option(names = "--lr-decay", description = "learning-rate schedule: constant (default) or linear (to 0 at the last step)")
    String lrDecay = "constant";

    @Option(names = "--beta1", description = "Adam beta1 (default: ${DEFAULT-VALUE})")
    double beta1 = 0.5;

    @Option(names = "--k", description = "discriminator steps per generator step (default: ${DEFAULT-VALUE})")
    int k = 1;

    @Option(names = "--loss", description = "generator loss: non-saturating (default) or minimax")
    String loss = "non-saturating";

    @Option(names = "--pack", description = "PacGAN packing degree; 1 is a plain GAN (default: ${DEFAULT-VALUE})")
    int pack = 1;

    @Option(names = "--spectral-norm", description = "spectrally normalise the discriminator's layers (Miyato et al. 2018)")
    boolean spectralNorm;

    @Option(names = "--real-label", description = "target for real samples; below 1 is one-sided label smoothing (default: ${DEFAULT-VALUE})")
    double realLabel = 1.0;

    @Option(names = "--samples", description = "samples for the metrics (default: ${DEFAULT-VALUE})")
    int samples = 2500;

    @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--output", paramLabel = "DIR", description = "run folder (default: runs/gan-MIXTURE-DATE-TIME)")
    Path output;

    @Option(names = "--quick", description = "a smoke run: 200 steps")
    boolean quick;

    private final PrintStream log;

    GanMixture(PrintStream log) {
        this.log = log;
    }

    @Override
    public Integer call() throws IOException {
        MixtureOfGaussians data = switch (mixture) {
            case "ring" -> MixtureOfGaussians.ring();
            case "grid" -> MixtureOfGaussians.grid();
            default -> throw new IllegalArgumentException("--mixture: unknown '" + mixture + "' (allowed: ring, grid)");
        };
        Gan.GeneratorLoss kind = Gan.GeneratorLoss.named(loss);
        if (!lrDecay.equals("constant") && !lrDecay.equals("linear")) {
            throw new IllegalArgumentException("--lr-decay: unknown '" + lrDecay + "' (allowed: constant, linear)");
        }
        if (steps < 1 || samples < 1 || batchSize % pack != 0 || samples % pack != 0) {
            throw new IllegalArgumentException("--steps and --samples must be positive and --batch-size and --samples "
                    + "multiples of --pack; got steps " + steps + ", samples " + samples + ", batch " + batchSize
                    + ", pack " + pack);
        }
        int total = quick ? Math.min(steps, 200) : steps;
        Path runDir = output != null ? output : Path.of("runs", "gan-" + mixture + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        log.println("autodiff4j: BLAS: " + Blas.describe());

        Generator g = new Generator(seed);
        Gan gan = new Gan(new GanConfig(latent, hidden, hidden, 2, slope, false, pack, spectralNorm), g);
        GanTrainer trainer = new GanTrainer(gan, learningRate, beta1, new GanTrainer.Options(k, kind, realLabel), g);
        log.printf("GAN on the %s: generator %d-%s-2, discriminator %d-%s-1, %s loss, k %d, pack %d, %d steps of %d%n",
                mixture, latent, hidden, 2 * pack, hidden, loss, k, pack, total, batchSize);
        RunFolder out = new RunFolder(runDir);
        LearningRateSchedule schedule = lrDecay.equals("linear")
                ? LearningRateSchedule.linear(total, 0.0) : LearningRateSchedule.constant();
        TrainLoop loop = new TrainLoop(GanTask.onSampler(gan, trainer, data::sample, batchSize, total, schedule), g,
                TrainLoop.Options.epochs(1).withCurve(100));
        List<EpochRecord> history = loop.run(new TrainListener() {
            @Override
            public void stepDone(StepContext c, StepResult r, double examplesPerSecond) {
                if (c.step() % 1000 == 0 || c.step() == total) {
                    Map<String, Double> f = r.figures();
                    log.printf("step %5d  D loss %.3f  G loss %.3f  D(x) %.3f  D(G(z)) %.3f%n", c.step(), f.get("d_loss"),
                            f.get("g_loss"), f.get("d_real"), f.get("d_fake"));
                }
            }
        });
        StringBuilder csv = new StringBuilder("step,d_loss,g_loss,d_real,d_fake\n");
        for (double[] row : loop.state().curve()) {
            csv.append(String.format(java.util.Locale.ROOT, "%d,%.5f,%.5f,%.4f,%.4f%n", (long) row[0], row[1], row[2],
                    row[3], row[4]));
        }
        double seconds = history.get(0).seconds();

        Tensor generated = gan.sample(samples, g);
        MixtureOfGaussians.Coverage c = data.coverage(generated);
        log.printf("modes covered %d/%d, high-quality samples %.1f%% (of %d); %.1f s%n", c.modesCovered(), c.modes(),
                100 * c.highQuality(), samples, seconds);
        double lim = mixture.equals("ring") ? 3 : 6;
        out.write("scatter.png", Charts.scatter("real (blue) and generated (orange), " + c.modesCovered() + "/" + c.modes()
                        + " modes, " + String.format("%.1f", 100 * c.highQuality()) + "% high quality", lim,
                List.of("real", "generated"), List.of(data.sample(samples, new Generator(seed + 1)), generated),
                List.of(new Color(31, 119, 180), new Color(255, 127, 14))));
        out.writeText("losses.csv", csv.toString());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("mixture", mixture);
        r.put("modes_covered", c.modesCovered());
        r.put("modes", c.modes());
        r.put("high_quality", c.highQuality());
        r.put("samples_per_mode", c.samplesPerMode());
        r.put("samples", samples);
        r.put("steps", total);
        r.put("seed", seed);
        r.put("config", gan.config().toMetadata());
        r.put("generator_loss", loss);
        r.put("k", k);
        r.put("real_label", realLabel);
        r.put("learning_rate", learningRate);
        r.put("lr_decay", lrDecay);
        r.put("spectral_norm", spectralNorm);
        r.put("batch_size", batchSize);
        r.put("seconds", seconds);
        out.writeText("metrics.json", new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r) + "\n");
        log.println("wrote " + out.dir());
        return 0;
    }
}
