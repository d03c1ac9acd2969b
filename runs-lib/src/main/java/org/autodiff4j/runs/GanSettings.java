package org.autodiff4j.runs;

import org.autodiff4j.models.gan.Gan;
import org.autodiff4j.models.gan.GanTrainer;
import org.autodiff4j.tensor.Generator;

/**
 * The GAN's settings shared by the image and mixture experiments.
 *
 * @param batchSize    real examples per discriminator step
 * @param latent       z dimensions
 * @param learningRate Adam's learning rate of both networks
 * @param beta1        Adam's beta1
 * @param beta2        Adam's beta2
 * @param k            discriminator steps per generator step
 * @param loss         the generator loss: non-saturating, minimax or wasserstein
 * @param realLabel    the target for real samples (below 1: one-sided label smoothing)
 * @param pack         PacGAN packing degree (1: a plain GAN)
 * @param gradientPenalty the WGAN-GP penalty's lambda (0: none)
 * @param r1           the R1 penalty's gamma (0: none)
 * @param ema          the decay of the average of the generator's weights that pictures and reports draw from
 *                     (0: none, they draw from the generator itself)
 */
public record GanSettings(int batchSize, int latent, double learningRate, double beta1, double beta2, int k,
                          String loss, double realLabel, int pack, double gradientPenalty, double r1, double ema) {
    /**
     * The trainer's options for these settings.
     *
     * @param instanceNoise the instance noise std
     * @param noiseAnnealSteps the steps over which it falls to 0
     * @return the trainer's options
     */
    public GanTrainer.Options trainerOptions(double instanceNoise, int noiseAnnealSteps) {
        return new GanTrainer.Options(k, Gan.GeneratorLoss.named(loss), realLabel, instanceNoise, noiseAnnealSteps,
                gradientPenalty, r1);
    }

    /**
     * A trainer of {@code gan} with these settings.
     *
     * @param gan the networks
     * @param options the trainer's options
     * @param g the generator to draw from
     * @return the trainer
     */
    public GanTrainer trainer(Gan gan, GanTrainer.Options options, Generator g) {
        return new GanTrainer(gan, learningRate, beta1, beta2, options, g);
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
        private int batchSize = 64;
        private int latent = 100;
        private double learningRate = 2e-4;
        private double beta1 = 0.5;
        private double beta2 = 0.999;
        private int k = 1;
        private String loss = "non-saturating";
        private double realLabel = 0.9;
        private int pack = 1;
        private double gradientPenalty = 0;
        private double r1 = 0;
        private double ema = 0;

        private Builder() {
        }

        /**
         * Sets {@code batchSize}: real examples per discriminator step.
         *
         * @param value the value
         * @return this builder
         */
        public Builder batchSize(int value) {
            this.batchSize = value;
            return this;
        }

        /**
         * Sets {@code latent}: z dimensions.
         *
         * @param value the value
         * @return this builder
         */
        public Builder latent(int value) {
            this.latent = value;
            return this;
        }

        /**
         * Sets {@code learningRate}: Adam's learning rate of both networks.
         *
         * @param value the value
         * @return this builder
         */
        public Builder learningRate(double value) {
            this.learningRate = value;
            return this;
        }

        /**
         * Sets {@code beta1}: Adam's beta1.
         *
         * @param value the value
         * @return this builder
         */
        public Builder beta1(double value) {
            this.beta1 = value;
            return this;
        }

        /**
         * Sets {@code beta2}: Adam's beta2.
         *
         * @param value the value
         * @return this builder
         */
        public Builder beta2(double value) {
            this.beta2 = value;
            return this;
        }

        /**
         * Sets {@code k}: discriminator steps per generator step.
         *
         * @param value the value
         * @return this builder
         */
        public Builder k(int value) {
            this.k = value;
            return this;
        }

        /**
         * Sets {@code loss}: the generator loss: non-saturating, minimax or wasserstein.
         *
         * @param value the value
         * @return this builder
         */
        public Builder loss(String value) {
            this.loss = value;
            return this;
        }

        /**
         * Sets {@code realLabel}: the target for real samples (below 1: one-sided label smoothing).
         *
         * @param value the value
         * @return this builder
         */
        public Builder realLabel(double value) {
            this.realLabel = value;
            return this;
        }

        /**
         * Sets {@code pack}: PacGAN packing degree (1: a plain GAN).
         *
         * @param value the value
         * @return this builder
         */
        public Builder pack(int value) {
            this.pack = value;
            return this;
        }

        /**
         * Sets {@code gradientPenalty}: the WGAN-GP penalty's lambda (0: none).
         *
         * @param value the value
         * @return this builder
         */
        public Builder gradientPenalty(double value) {
            this.gradientPenalty = value;
            return this;
        }

        /**
         * Sets {@code r1}: the R1 penalty's gamma (0: none).
         *
         * @param value the value
         * @return this builder
         */
        public Builder r1(double value) {
            this.r1 = value;
            return this;
        }

        /**
         * Sets {@code ema}: the decay of the generator average pictures and reports draw from (0: none).
         *
         * @param value the decay, 0 or in (0, 1)
         * @return this builder
         */
        public Builder ema(double value) {
            this.ema = value;
            return this;
        }

        /**
         * The settings.
         *
         * @return the settings
         */
        public GanSettings build() {
            return new GanSettings(batchSize, latent, learningRate, beta1, beta2, k, loss, realLabel, pack,
                    gradientPenalty, r1, ema);
        }
    }
}
