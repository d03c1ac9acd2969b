package org.autodiff4j.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import org.autodiff4j.models.data.Datasets;
import org.autodiff4j.models.gan.GanConfig;
import org.autodiff4j.runs.MixtureExperiment;
import org.autodiff4j.runs.RunFolder;
import org.autodiff4j.runs.jobs.LocalExecutor;
import org.autodiff4j.runs.jobs.Sweep;
import org.autodiff4j.runs.jobs.SweepSpec;
import org.autodiff4j.runs.jobs.TaskExecutor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gan-mixture}: the options of {@link MixtureExperiment}, checked, then one call to it; with {@code --seeds N}, a
 * sweep of N seeds.
 */
@Command(name = "gan-mixture", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a GAN on a 2-D mixture of Gaussians and measure mode coverage.")
final class GanMixture extends TrainingCommand {

    @Option(names = "--mixture", description = "ring (8 modes, default) or grid (25 modes)")
    String mixture = "ring";

    @Option(names = "--steps", description = "generator steps (default: ${DEFAULT-VALUE})")
    int steps = 10_000;

    @Mixin
    GanOptions gan = new GanOptions(256, 16, 1e-3, 1.0);

    @Option(names = "--hidden", split = ",", paramLabel = "N[,N...]", hideParamSyntax = true,
            description = "hidden sizes of both networks (default: 128,128)")
    List<Integer> hidden = List.of(128, 128);

    @Option(names = "--slope", description = "LeakyReLU slope; 0 is ReLU (default: ${DEFAULT-VALUE})")
    double slope = 0.0;

    @Option(names = "--lr-decay", description = "learning-rate schedule: constant (default) or linear (to 0 at the last step)")
    String lrDecay = "constant";

    @Option(names = "--spectral-norm", description = "spectrally normalise the discriminator's layers (Miyato et al. 2018)")
    boolean spectralNorm;

    @Option(names = "--samples", description = "samples for the metrics (default: ${DEFAULT-VALUE})")
    int samples = 2500;

    @Option(names = "--seeds", description = "run this many seeds from --seed as a sweep (trials in parallel, each in its "
            + "own folder) with one table of mean and standard error (PacGAN's protocol: 10) (default: ${DEFAULT-VALUE})")
    int seeds = 1;

    GanMixture(PrintStream log) {
        super(log);
    }

    @Override
    String name() {
        return "gan-mixture";
    }

    @Override
    TrainingCommand fresh() {
        return new GanMixture(log);
    }

    @Override
    Path defaultOutput() {
        return Path.of("runs", "gan-" + mixture + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    @Override
    void validate() {
        Flags.oneOf("--mixture", mixture, List.of("ring", "grid"));
        Flags.oneOf("--lr-decay", lrDecay, List.of("constant", "linear"));
        Flags.atLeast("--steps", steps, 1);
        Flags.atLeast("--samples", samples, 1);
        Flags.atLeast("--seeds", seeds, 1);
        for (int h : hidden) {
            Flags.atLeast("--hidden", h, 1);
        }
        if (!(slope >= 0 && slope < 1)) {
            throw new IllegalArgumentException("--slope must be in [0, 1), got " + slope);
        }
        gan.validate();
        Flags.fitsInMemory("--hidden " + hidden + " --latent " + gan.latent,
                new GanConfig(gan.latent, hidden, hidden, 2, slope, false, gan.pack).parameterCount());
        if (samples % gan.pack != 0) {
            throw new IllegalArgumentException("--samples " + samples + " is not a multiple of --pack " + gan.pack);
        }
    }

    @Override
    public Integer call() throws IOException {
        if (seeds == 1) {
            return super.call();
        }
        // a sweep of one setting over the seeds, trials in parallel on this machine's cores
        if (run.resume) {
            throw new IllegalArgumentException("--resume continues one run; to continue a sweep of --seeds, give the same "
                    + "command again (or ./autodiff4j sweep --resume --output DIR)");
        }
        validate();
        Path runDir = run.output != null ? run.output : defaultOutput();
        List<String> fixed = SweepSpec.without(RunFolders.ownArguments(spec), "--seeds", "--seed", "--output");
        SweepSpec grid = SweepSpec.parse("gan-mixture", fixed, run.seed + "-" + (run.seed + seeds - 1),
                flag -> flag.equals("--hidden"));
        try (TaskExecutor ex = new LocalExecutor(0, runDir.resolve("logs"), false)) {
            Sweep.run(grid, null, runDir, ex, Main.Program.class, log);
        }
        return 0;
    }

    @Override
    void train(Datasets sets, RunFolder out, Map<String, String> runMetadata, Path resumeFrom) throws IOException {
        MixtureExperiment.Settings settings = MixtureExperiment.Settings.builder().mixture(mixture).gan(gan.settings())
                .steps(steps).hidden(hidden).slope(slope).linearDecay(lrDecay.equals("linear")).spectralNorm(spectralNorm)
                .samples(samples).seed(run.seed).checkpointEvery(run.checkpointEvery).detectAnomaly(run.detectAnomaly).quick(run.quick).build();
        MixtureExperiment.run(settings, out, runMetadata, resumeFrom, log);
    }
}
