package org.autodiff4j.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.autodiff4j.models.data.Datasets;
import org.autodiff4j.models.gan.Dcgan;
import org.autodiff4j.runs.GanExperiment;
import org.autodiff4j.runs.GanExperimentSettings;
import org.autodiff4j.runs.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code train-gan}: the options of {@link GanExperiment}, checked, then one call to it. */
@Command(name = "train-gan", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a GAN on MNIST-family images and write samples, curves, a checkpoint, a digit report and report.html.")
final class TrainGan extends TrainingCommand {

    @Option(names = "--dataset", description = "binarized-mnist (default), mnist or fashion-mnist")
    String dataset = "binarized-mnist";

    @Option(names = "--epochs", description = "epochs (default: ${DEFAULT-VALUE})")
    int epochs = 30;

    @Option(names = "--arch", description = "mlp (default: the fully connected networks) or dcgan (transposed "
            + "convolutions and convolutions with batch norm, on [N, 1, H, W] images)")
    String arch = "mlp";

    @Option(names = "--discriminator-norm", paramLabel = "NORM", description = "--arch dcgan: batch (default, the "
            + "paper's), layer or none; a gradient penalty (--gradient-penalty, --r1) is per sample only without batch norm")
    String discriminatorNorm = "batch";

    // NOTE: the defaults of --real-label and --instance-noise are the measured working recipe on binarized
    // MNIST (README, GANs): without them the discriminator wins outright by epoch 5-7.
    @Mixin
    GanOptions gan = new GanOptions(64, 100, 2e-4, 0.9);

    @Option(names = "--instance-noise", paramLabel = "STD", description = "std of Gaussian noise added to every input of the discriminator (default: ${DEFAULT-VALUE})")
    double instanceNoise = 1.0;

    @Option(names = "--noise-anneal-epochs", description = "epochs over which the instance noise falls to 0; 0 keeps it (default: ${DEFAULT-VALUE})")
    int noiseAnnealEpochs = 0;

    @Option(names = "--slerp", description = "interpolate spherically instead of linearly")
    boolean slerp;

    @Option(names = "--report-samples", description = "generated samples judged by the digit classifier and the Frechet distance (default: ${DEFAULT-VALUE})")
    int reportSamples = 10_000;

    TrainGan(PrintStream log) {
        super(log);
    }

    @Override
    String name() {
        return "train-gan";
    }

    @Override
    TrainingCommand fresh() {
        return new TrainGan(log);
    }

    @Override
    void validate() {
        Flags.oneOf("--dataset", dataset, Datasets.names());
        Flags.atLeast("--epochs", epochs, 1);
        Flags.oneOf("--arch", arch, List.of("mlp", "dcgan"));
        Flags.oneOf("--discriminator-norm", discriminatorNorm, Dcgan.Norm.NAMES);
        GanExperiment.discriminatorNorm(arch, discriminatorNorm);
        Flags.atLeast("--report-samples", reportSamples, 1);
        Flags.atLeast("--noise-anneal-epochs", noiseAnnealEpochs, 0);
        if (!(instanceNoise >= 0) || Double.isInfinite(instanceNoise)) {
            throw new IllegalArgumentException("--instance-noise must be a number >= 0, got " + instanceNoise);
        }
        gan.validate();
    }

    @Override
    void train(Datasets sets, RunFolder out, Map<String, String> runMetadata, Path resumeFrom) throws IOException {
        GanExperimentSettings settings = GanExperimentSettings.builder().dataset(dataset).arch(arch)
                .discriminatorNorm(discriminatorNorm).gan(gan.settings())
                .epochs(epochs).instanceNoise(instanceNoise).noiseAnnealEpochs(noiseAnnealEpochs).slerp(slerp)
                .reportSamples(reportSamples).seed(run.seed).checkpointEvery(run.checkpointEvery)
                .detectAnomaly(run.detectAnomaly).quick(run.quick).build();
        GanExperiment.run(settings, sets, out, runMetadata, resumeFrom, log);
    }
}
