package org.autodiff4j.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;

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
import picocli.CommandLine.Spec;

/** {@code gan-mixture}: the options of {@link MixtureExperiment}, checked, then one call to it. */
@Command(name = "gan-mixture", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a GAN on a 2-D mixture of Gaussians and measure mode coverage.")
final class GanMixture implements Callable<Integer> {

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

    @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--output", paramLabel = "DIR", description = "run folder (default: runs/gan-MIXTURE-DATE-TIME)")
    Path output;

    @Option(names = "--quick", description = "a smoke run: 200 steps")
    boolean quick;

    @Option(names = "--seeds", description = "run this many seeds from --seed as a sweep (trials in parallel, each in its "
            + "own folder) with one table of mean and standard error (PacGAN's protocol: 10) (default: ${DEFAULT-VALUE})")
    int seeds = 1;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final PrintStream log;

    GanMixture(PrintStream log) {
        this.log = log;
    }

    @Override
    public Integer call() throws IOException {
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
        Path runDir = output != null ? output : Path.of("runs", "gan-" + mixture + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        MixtureExperiment.Settings settings = MixtureExperiment.Settings.builder().mixture(mixture).gan(gan.settings())
                .steps(steps).hidden(hidden).slope(slope).linearDecay(lrDecay.equals("linear")).spectralNorm(spectralNorm)
                .samples(samples).seed(seed).quick(quick).build();
        if (seeds > 1) {
            // a sweep of one setting over the seeds, trials in parallel on this machine's cores
            List<String> fixed = SweepSpec.without(RunFolders.ownArguments(spec), "--seeds", "--seed", "--output");
            SweepSpec grid = SweepSpec.parse("gan-mixture", fixed, java.util.stream.LongStream.range(seed, seed + seeds)
                    .mapToObj(Long::toString).collect(java.util.stream.Collectors.joining(",")), flag -> flag.equals("--hidden"));
            try (TaskExecutor ex = new LocalExecutor(0, runDir.resolve("logs"), false)) {
                Sweep.run(grid, null, runDir, ex, Main.Program.class, log);
            }
        } else {
            MixtureExperiment.run(settings, new RunFolder(runDir), log);
        }
        return 0;
    }
}
