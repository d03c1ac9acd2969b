package org.autodiff4j.runs;

import java.nio.file.Path;
import java.util.List;

import org.autodiff4j.models.vae.ConvVae;
import org.autodiff4j.models.vae.VaeConfig;

/**
 * What to train and how, by name: {@code VaeSettings.builder().hidden(List.of(200, 200)).latent(50).build()}; every
 * setting not given keeps the command line's default. The training objective's k ({@code objectiveSamples}) and
 * the evaluation's k ({@code evaluationSamples}) are two settings.
 *
 * @param dataset binarized-mnist, mnist or fashion-mnist
 * @param arch mlp (the fully connected networks of {@code hidden} and {@code activation}) or conv ({@link ConvVae})
 * @param hidden fully connected hidden widths: the mlp's layers, or the conv VAE's between its convolutions and the
 *               latent heads; null for the architecture's default (500 for mlp, none for conv)
 * @param latent latent dimensions
 * @param activation tanh, sigmoid, relu or leakyrelu
 * @param likelihood the decoder's likelihood
 * @param epochs the most epochs
 * @param batchSize examples per step
 * @param learningRate Adam's initial learning rate
 * @param lrDecay factor applied every {@code lrDecayEvery} epochs (1: none)
 * @param lrDecayEvery epochs between decays
 * @param klWarmup epochs of deterministic KL warm-up (0: none)
 * @param patience epochs without a better validation loss before stopping (0: never)
 * @param keepBest whether training ends with the best validation epoch's parameters
 * @param seed the seed of every random draw of the run
 * @param objectiveSamples importance samples per example of the training objective: 1, the ELBO; more, the IWAE bound ({@code --k})
 * @param evaluationSamples importance samples per test image of the NLL estimate ({@code --iw-samples})
 * @param evaluationExamples test images for the NLL estimate, spread over the test set (0: all; {@code --iw-examples})
 * @param checkpointEvery steps between checkpoints (0: only on a stop and at the end)
 * @param detectAnomaly whether every op's values and gradients are checked for NaN and infinity
 * @param quick a smoke run: 2 epochs of 5 steps and small evaluations
 * @param initFrom a checkpoint of the same model whose parameters the run starts from (optimiser and schedule
 *                 fresh: fine-tuning, as PyTorch's {@code load_state_dict} before training), or null
 */
public record VaeSettings(String dataset, String arch, List<Integer> hidden, int latent, String activation,
                          VaeConfig.Likelihood likelihood, int epochs, int batchSize, double learningRate,
                          double lrDecay, int lrDecayEvery, int klWarmup, int patience, boolean keepBest, long seed,
                          int objectiveSamples, int evaluationSamples, int evaluationExamples, int checkpointEvery,
                          boolean detectAnomaly, boolean quick, Path initFrom) {
    /**
     * Checks the settings that have no meaning out of range.
     *
     * @param dataset binarized-mnist, mnist or fashion-mnist
     * @param arch mlp or conv
     * @param hidden fully connected hidden widths; null for the architecture's default (500 for mlp, none for conv)
     * @param latent latent dimensions
     * @param activation tanh, sigmoid, relu or leakyrelu
     * @param likelihood the decoder's likelihood
     * @param epochs the most epochs
     * @param batchSize examples per step
     * @param learningRate Adam's initial learning rate
     * @param lrDecay factor applied every {@code lrDecayEvery} epochs (1: none)
     * @param lrDecayEvery epochs between decays
     * @param klWarmup epochs of deterministic KL warm-up (0: none)
     * @param patience epochs without a better validation loss before stopping (0: never)
     * @param keepBest whether training ends with the best validation epoch's parameters
     * @param seed the seed of every random draw of the run
     * @param objectiveSamples importance samples per example of the training objective: 1, the ELBO; more, the IWAE bound ({@code --k})
     * @param evaluationSamples importance samples per test image of the NLL estimate ({@code --iw-samples})
     * @param evaluationExamples test images for the NLL estimate, spread over the test set (0: all; {@code --iw-examples})
     * @param checkpointEvery steps between checkpoints (0: only on a stop and at the end)
     * @param detectAnomaly whether every op's values and gradients are checked for NaN and infinity
     * @param quick a smoke run: 2 epochs of 5 steps and small evaluations
     * @param initFrom a checkpoint of the same model to start from, or null
     * @throws IllegalArgumentException naming the setting and its value
     */
    public VaeSettings {
        if (!ARCHS.contains(arch)) {
            throw new IllegalArgumentException("VaeSettings: unknown arch '" + arch + "' (allowed: " + String.join(", ", ARCHS) + ")");
        }
        hidden = hidden == null ? (arch.equals("mlp") ? List.of(500) : List.of()) : List.copyOf(hidden);
        if (objectiveSamples < 1 || evaluationSamples < 1 || evaluationExamples < 0) {
            throw new IllegalArgumentException("VaeSettings: objectiveSamples " + objectiveSamples
                    + " and evaluationSamples " + evaluationSamples + " must be at least 1, evaluationExamples "
                    + evaluationExamples + " at least 0");
        }
    }

    /** The architectures {@code arch} names. */
    public static final List<String> ARCHS = List.of("mlp", "conv");

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
        private String dataset = "binarized-mnist";
        private String arch = "mlp";
        private List<Integer> hidden = null;
        private int latent = 20;
        private String activation = "tanh";
        private VaeConfig.Likelihood likelihood = VaeConfig.Likelihood.BERNOULLI;
        private int epochs = 30;
        private int batchSize = 128;
        private double learningRate = 1e-3;
        private double lrDecay = 1.0;
        private int lrDecayEvery = 1;
        private int klWarmup = 0;
        private int patience = 0;
        private boolean keepBest = true;
        private long seed = 0;
        private int objectiveSamples = 1;
        private int evaluationSamples = 1000;
        private int evaluationExamples = 0;
        private int checkpointEvery = 0;
        private boolean detectAnomaly = false;
        private boolean quick = false;
        private Path initFrom = null;

        private Builder() {
        }

        /**
         * Sets {@code dataset}: binarized-mnist, mnist or fashion-mnist.
         *
         * @param value the value
         * @return this builder
         */
        public Builder dataset(String value) {
            this.dataset = value;
            return this;
        }

        /**
         * Sets {@code arch}: mlp or conv.
         *
         * @param value the value
         * @return this builder
         */
        public Builder arch(String value) {
            this.arch = value;
            return this;
        }

        /**
         * Sets {@code hidden}: fully connected hidden widths (the mlp's layers, or the conv VAE's between its
         * convolutions and the latent heads); null restores the architecture's default (500 for mlp, none for conv).
         *
         * @param value the value
         * @return this builder
         */
        public Builder hidden(List<Integer> value) {
            this.hidden = value;
            return this;
        }

        /**
         * Sets {@code latent}: latent dimensions.
         *
         * @param value the value
         * @return this builder
         */
        public Builder latent(int value) {
            this.latent = value;
            return this;
        }

        /**
         * Sets {@code activation}: tanh, sigmoid, relu or leakyrelu.
         *
         * @param value the value
         * @return this builder
         */
        public Builder activation(String value) {
            this.activation = value;
            return this;
        }

        /**
         * Sets {@code likelihood}: the decoder's likelihood.
         *
         * @param value the value
         * @return this builder
         */
        public Builder likelihood(VaeConfig.Likelihood value) {
            this.likelihood = value;
            return this;
        }

        /**
         * Sets {@code epochs}: the most epochs.
         *
         * @param value the value
         * @return this builder
         */
        public Builder epochs(int value) {
            this.epochs = value;
            return this;
        }

        /**
         * Sets {@code batchSize}: examples per step.
         *
         * @param value the value
         * @return this builder
         */
        public Builder batchSize(int value) {
            this.batchSize = value;
            return this;
        }

        /**
         * Sets {@code learningRate}: Adam's initial learning rate.
         *
         * @param value the value
         * @return this builder
         */
        public Builder learningRate(double value) {
            this.learningRate = value;
            return this;
        }

        /**
         * Sets {@code lrDecay}: factor applied every lrDecayEvery epochs (1: none).
         *
         * @param value the value
         * @return this builder
         */
        public Builder lrDecay(double value) {
            this.lrDecay = value;
            return this;
        }

        /**
         * Sets {@code lrDecayEvery}: epochs between decays.
         *
         * @param value the value
         * @return this builder
         */
        public Builder lrDecayEvery(int value) {
            this.lrDecayEvery = value;
            return this;
        }

        /**
         * Sets {@code klWarmup}: epochs of deterministic KL warm-up (0: none).
         *
         * @param value the value
         * @return this builder
         */
        public Builder klWarmup(int value) {
            this.klWarmup = value;
            return this;
        }

        /**
         * Sets {@code patience}: epochs without a better validation loss before stopping (0: never).
         *
         * @param value the value
         * @return this builder
         */
        public Builder patience(int value) {
            this.patience = value;
            return this;
        }

        /**
         * Sets {@code keepBest}: whether training ends with the best validation epoch's parameters.
         *
         * @param value the value
         * @return this builder
         */
        public Builder keepBest(boolean value) {
            this.keepBest = value;
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
         * Sets {@code objectiveSamples}: importance samples per example of the training objective: 1, the ELBO; more, the IWAE bound ({@code --k}).
         *
         * @param value the value
         * @return this builder
         */
        public Builder objectiveSamples(int value) {
            this.objectiveSamples = value;
            return this;
        }

        /**
         * Sets {@code evaluationSamples}: importance samples per test image of the NLL estimate ({@code --iw-samples}).
         *
         * @param value the value
         * @return this builder
         */
        public Builder evaluationSamples(int value) {
            this.evaluationSamples = value;
            return this;
        }

        /**
         * Sets {@code evaluationExamples}: test images for the NLL estimate, spread over the test set (0: all; {@code --iw-examples}).
         *
         * @param value the value
         * @return this builder
         */
        public Builder evaluationExamples(int value) {
            this.evaluationExamples = value;
            return this;
        }

        /**
         * Sets {@code checkpointEvery}: steps between checkpoints (0: only on a stop and at the end).
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
         * Sets {@code quick}: a smoke run: 2 epochs of 5 steps and small evaluations.
         *
         * @param value the value
         * @return this builder
         */
        public Builder quick(boolean value) {
            this.quick = value;
            return this;
        }

        /**
         * Sets {@code initFrom}: a checkpoint of the same model whose parameters the run starts from, or null.
         *
         * @param value the value
         * @return this builder
         */
        public Builder initFrom(Path value) {
            this.initFrom = value;
            return this;
        }

        /**
         * The settings.
         *
         * @return the settings
         * @throws IllegalArgumentException when a setting is out of range
         */
        public VaeSettings build() {
            return new VaeSettings(dataset, arch, hidden, latent, activation, likelihood, epochs, batchSize, learningRate,
                    lrDecay, lrDecayEvery, klWarmup, patience, keepBest, seed, objectiveSamples, evaluationSamples,
                    evaluationExamples, checkpointEvery, detectAnomaly, quick, initFrom);
        }
    }
}
