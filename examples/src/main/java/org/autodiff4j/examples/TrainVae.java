package org.autodiff4j.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.autodiff4j.models.data.Datasets;
import org.autodiff4j.models.vae.ConvVae;
import org.autodiff4j.models.vae.VaeConfig;
import org.autodiff4j.nn.Activation;
import org.autodiff4j.runs.RunFolder;
import org.autodiff4j.runs.VaeExperiment;
import org.autodiff4j.runs.VaeSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code train-vae}: the options of {@link VaeExperiment}, checked, then one call to it. */
@Command(name = "train-vae", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a variational auto-encoder and write samples, curves, metrics, a checkpoint and report.html.")
final class TrainVae extends TrainingCommand {

    @Option(names = "--dataset", description = "binarized-mnist (default), mnist or fashion-mnist")
    String dataset = "binarized-mnist";

    @Option(names = "--arch", description = "mlp (default: fully connected, --hidden and --activation) or conv "
            + "(convolutions 32 and 64 stride 2, then --hidden ReLU layers, to the posterior; the mirror image back)")
    String arch = "mlp";

    @Option(names = "--epochs", description = "maximum epochs (default: ${DEFAULT-VALUE})")
    int epochs = 30;

    @Option(names = "--batch-size", description = "examples per step (default: ${DEFAULT-VALUE})")
    int batchSize = 128;

    @Option(names = "--hidden", split = ",", paramLabel = "N[,N...]", hideParamSyntax = true,
            description = "fully connected hidden layer sizes, comma-separated (default: 500 for mlp, none for conv)")
    List<Integer> hidden;

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

    @Option(names = "--objective", description = "elbo (default) or iwae: the importance-weighted bound of Burda et al. "
            + "2016 with --k samples per example")
    String objective = "elbo";

    @Option(names = "--k", description = "importance samples per example of --objective iwae (default: ${DEFAULT-VALUE})")
    int k = 50;

    @Option(names = "--keep", description = "parameters to keep at the end: best (the epoch with the lowest validation loss, the default) or last")
    Keep keep = Keep.best;

    /** Which epoch's parameters a run ends with. */
    enum Keep { best, last }

    @Option(names = "--init-from", paramLabel = "FILE", description = "start from the parameters of FILE, a "
            + "vae.safetensors or checkpoint.safetensors of the same model (fine-tuning: Adam and the schedule start afresh)")
    Path initFrom;

    @Option(names = "--iw-samples", paramLabel = "K", description = "importance samples per test image for the NLL (default: ${DEFAULT-VALUE})")
    int evaluationSamples = 1000;

    @Option(names = "--iw-examples", paramLabel = "N", description = "test images for the NLL; 0 means all (default: ${DEFAULT-VALUE})")
    int evaluationExamples = 0;

    TrainVae(PrintStream log) {
        super(log);
    }

    @Override
    String name() {
        return "train-vae";
    }

    @Override
    TrainingCommand fresh() {
        return new TrainVae(log);
    }

    @Override
    void validate() {
        Flags.oneOf("--dataset", dataset, Datasets.names());
        Flags.oneOf("--arch", arch, VaeSettings.ARCHS);
        Flags.atLeast("--epochs", epochs, 1);
        Flags.between("--batch-size", batchSize, 1, Flags.MAX_BATCH);
        Flags.atLeast("--latent", latent, 1);
        for (int h : hidden == null ? List.<Integer>of() : hidden) {
            Flags.atLeast("--hidden", h, 1);
        }
        Flags.atLeast("--iw-samples", evaluationSamples, 1);
        Flags.atLeast("--iw-examples", evaluationExamples, 0);
        Flags.atLeast("--patience", patience, 0);
        Flags.atLeast("--lr-decay-every", lrDecayEvery, 1);
        Flags.atLeast("--kl-warmup", klWarmup, 0);
        Flags.positive("--lr", learningRate);
        Flags.positive("--lr-decay", lrDecay);
        Flags.oneOf("--activation", activation, List.of("tanh", "sigmoid", "relu", "leakyrelu"));
        Flags.oneOf("--objective", objective, List.of("elbo", "iwae"));
        Flags.atLeast("--k", k, 1);
        if (objective.equals("iwae") && klWarmup > 0) {
            throw new IllegalArgumentException("--kl-warmup works on the ELBO's KL term, which --objective iwae does not have");
        }
        Activation.named(activation);
        List<Integer> widths = VaeSettings.builder().arch(arch).hidden(hidden).build().hidden();
        Flags.fitsInMemory("--hidden " + widths + " --latent " + latent, arch.equals("conv")
                ? ConvVae.parameterCount(ConvVae.description(latent, widths, 1, 28, likelihood))
                : new VaeConfig(28 * 28, widths, latent, activation, likelihood).parameterCount());
    }

    @Override
    void train(Datasets sets, RunFolder out, Map<String, String> runMetadata, Path resumeFrom) throws IOException {
        VaeSettings settings = VaeSettings.builder().dataset(dataset).arch(arch).hidden(hidden).latent(latent)
                .activation(activation).likelihood(likelihood).epochs(epochs).batchSize(batchSize)
                .learningRate(learningRate).lrDecay(lrDecay).lrDecayEvery(lrDecayEvery).klWarmup(klWarmup)
                .patience(patience).keepBest(keep == Keep.best).seed(run.seed)
                .objectiveSamples(objective.equals("iwae") ? k : 1).evaluationSamples(evaluationSamples)
                .evaluationExamples(evaluationExamples).checkpointEvery(run.checkpointEvery)
                .detectAnomaly(run.detectAnomaly).quick(run.quick).initFrom(initFrom).build();
        VaeExperiment.run(settings, sets, out, runMetadata, resumeFrom, log);
    }
}
