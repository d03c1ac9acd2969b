package org.autodiff4j.runs;

import org.autodiff4j.models.gan.Dcgan;

/**
 * What {@link GanExperiment} trains and how, by name:
 * {@code GanExperimentSettings.builder().arch("dcgan").epochs(5).build()}; every setting not given keeps the
 * command line's default.
 *
 * @param dataset           binarized-mnist, mnist or fashion-mnist
 * @param arch              mlp (the bundled fully connected networks) or dcgan ({@link Dcgan})
 * @param discriminatorNorm the DCGAN discriminator's normalisation: batch, layer or none ({@link Dcgan.Norm}); the
 *                          mlp discriminator has none, so it takes only batch, the default
 * @param gan               the GAN's settings
 * @param epochs            epochs
 * @param instanceNoise     std of Gaussian noise added to every input of the discriminator
 * @param noiseAnnealEpochs epochs over which that noise falls to 0 (0 keeps it)
 * @param slerp             whether interpolations are spherical
 * @param reportSamples     generated samples the digit classifier and the Fréchet distance judge
 * @param seed              the seed of every random draw of the run
 * @param checkpointEvery   steps between checkpoints (0: only on a stop and at the end)
 * @param detectAnomaly     whether every op's values and gradients are checked for NaN and infinity
 * @param quick             a smoke run: 2 epochs of 10 steps, a small report
 */
public record GanExperimentSettings(String dataset, String arch, String discriminatorNorm, GanSettings gan,
                                    int epochs, double instanceNoise, int noiseAnnealEpochs, boolean slerp,
                                    int reportSamples, long seed, int checkpointEvery, boolean detectAnomaly,
                                    boolean quick) {

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
        private String discriminatorNorm = "batch";
        private GanSettings gan = GanSettings.builder().build();
        private int epochs = 30;
        private double instanceNoise = 1.0;
        private int noiseAnnealEpochs = 0;
        private boolean slerp = false;
        private int reportSamples = 10000;
        private long seed = 0;
        private int checkpointEvery = 0;
        private boolean detectAnomaly = false;
        private boolean quick = false;

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
         * Sets {@code arch}: mlp or dcgan.
         *
         * @param value the value
         * @return this builder
         */
        public Builder arch(String value) {
            this.arch = value;
            return this;
        }

        /**
         * Sets {@code discriminatorNorm}: the DCGAN discriminator's normalisation, batch, layer or none.
         *
         * @param value the value
         * @return this builder
         */
        public Builder discriminatorNorm(String value) {
            this.discriminatorNorm = value;
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
         * Sets {@code epochs}: epochs.
         *
         * @param value the value
         * @return this builder
         */
        public Builder epochs(int value) {
            this.epochs = value;
            return this;
        }

        /**
         * Sets {@code instanceNoise}: std of Gaussian noise added to every input of the discriminator.
         *
         * @param value the value
         * @return this builder
         */
        public Builder instanceNoise(double value) {
            this.instanceNoise = value;
            return this;
        }

        /**
         * Sets {@code noiseAnnealEpochs}: epochs over which that noise falls to 0 (0 keeps it).
         *
         * @param value the value
         * @return this builder
         */
        public Builder noiseAnnealEpochs(int value) {
            this.noiseAnnealEpochs = value;
            return this;
        }

        /**
         * Sets {@code slerp}: whether interpolations are spherical.
         *
         * @param value the value
         * @return this builder
         */
        public Builder slerp(boolean value) {
            this.slerp = value;
            return this;
        }

        /**
         * Sets {@code reportSamples}: generated samples the digit classifier and the Fréchet distance judge.
         *
         * @param value the value
         * @return this builder
         */
        public Builder reportSamples(int value) {
            this.reportSamples = value;
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
         * Sets {@code quick}: a smoke run: 2 epochs of 10 steps, a small report.
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
        public GanExperimentSettings build() {
            return new GanExperimentSettings(dataset, arch, discriminatorNorm, gan, epochs, instanceNoise,
                    noiseAnnealEpochs, slerp, reportSamples, seed, checkpointEvery, detectAnomaly, quick);
        }
    }
}
