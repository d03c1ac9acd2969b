package org.autodiff4j.examples;

import org.autodiff4j.models.gan.Gan;
import org.autodiff4j.runs.GanSettings;
import picocli.CommandLine.Option;

/** The GAN options train-gan and gan-mixture share; each command starts them from its own defaults. */
final class GanOptions {
    @Option(names = "--batch-size", description = "real samples per discriminator step (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--latent", description = "z dimensions (default: ${DEFAULT-VALUE})")
    int latent;

    @Option(names = "--lr", description = "Adam learning rate of both networks (default: ${DEFAULT-VALUE})")
    double learningRate;

    @Option(names = "--beta1", description = "Adam beta1 (default: ${DEFAULT-VALUE})")
    double beta1 = 0.5;

    @Option(names = "--beta2", description = "Adam beta2 (default: ${DEFAULT-VALUE}; WGAN-GP uses 0.9)")
    double beta2 = 0.999;

    @Option(names = "--k", description = "discriminator steps per generator step (default: ${DEFAULT-VALUE})")
    int k = 1;

    @Option(names = "--loss", description = "non-saturating (default), minimax or wasserstein (a critic; with "
            + "--gradient-penalty 10 it is WGAN-GP)")
    String loss = "non-saturating";

    @Option(names = "--gradient-penalty", paramLabel = "LAMBDA", description = "WGAN-GP's penalty (Gulrajani et al. 2017) "
            + "on D's input gradient at mixes of real and generated samples, times LAMBDA (default: 0, none; the paper: 10)")
    double gradientPenalty = 0;

    @Option(names = "--r1", paramLabel = "GAMMA", description = "the R1 penalty (Mescheder et al. 2018) on D's input "
            + "gradient at real samples, times GAMMA / 2 (default: 0, none)")
    double r1 = 0;

    @Option(names = "--real-label", description = "target for real samples; below 1 is one-sided label smoothing (default: ${DEFAULT-VALUE})")
    double realLabel;

    @Option(names = "--pack", description = "PacGAN packing: the discriminator judges this many samples at once (default: ${DEFAULT-VALUE})")
    int pack = 1;

    @Option(names = "--ema", paramLabel = "DECAY", description = "keep an exponential moving average of the generator's "
            + "weights with this decay (e.g. 0.999) and draw pictures, samples and scores from it (default: 0, none)")
    double ema = 0;

    GanOptions(int batchSize, int latent, double learningRate, double realLabel) {
        this.batchSize = batchSize;
        this.latent = latent;
        this.learningRate = learningRate;
        this.realLabel = realLabel;
    }

    /** Rejects out-of-range values, naming the flag. */
    void validate() {
        Flags.oneOf("--loss", loss, Gan.GeneratorLoss.NAMES);
        Flags.between("--batch-size", batchSize, 1, Flags.MAX_BATCH);
        Flags.atLeast("--latent", latent, 1);
        Flags.atLeast("--k", k, 1);
        Flags.atLeast("--pack", pack, 1);
        Flags.positive("--lr", learningRate);
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("--beta1 must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("--beta2 must be in [0, 1), got " + beta2);
        }
        Flags.atLeast("--gradient-penalty", gradientPenalty);
        Flags.atLeast("--r1", r1);
        if (!(realLabel > 0 && realLabel <= 1)) {
            throw new IllegalArgumentException("--real-label must be in (0, 1], got " + realLabel);
        }
        if (!(ema >= 0 && ema < 1)) {
            throw new IllegalArgumentException("--ema must be 0 (none) or in (0, 1), got " + ema);
        }
        if (batchSize % pack != 0) {
            throw new IllegalArgumentException("--batch-size " + batchSize + " is not a multiple of --pack " + pack);
        }
    }

    GanSettings settings() {
        return GanSettings.builder().batchSize(batchSize).latent(latent).learningRate(learningRate)
                .beta1(beta1).beta2(beta2).k(k).loss(loss).realLabel(realLabel).pack(pack)
                .gradientPenalty(gradientPenalty).r1(r1).ema(ema).build();
    }
}
