package org.autodiff4j.models.gan;

import java.util.ArrayList;
import java.util.List;

import org.autodiff4j.autograd.NoGrad;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.autograd.loss.Losses;
import org.autodiff4j.autograd.loss.Reduction;
import org.autodiff4j.nn.Activation;
import org.autodiff4j.nn.Layer;
import org.autodiff4j.nn.Linear;
import org.autodiff4j.nn.Module;
import org.autodiff4j.nn.Sequential;
import org.autodiff4j.nn.SpectralNormLinear;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/**
 * A generative adversarial network (Goodfellow et al. 2014): a generator G maps z ~ N(0, I) to a
 * sample, a discriminator D maps a sample to the logit of the probability that it is real. They play
 * the minimax game V(D, G) = E[log D(x)] + E[log(1 - D(G(z)))]. Every probability is computed from a
 * logit with the stable BCE-with-logits. Parameters: {@code generator.*}, {@code discriminator.*}.
 */
public final class Gan extends Module {
    /** The {@code model} value in checkpoints. */
    public static final String MODEL_NAME = "gan";

    /** The generator's loss. */
    public enum GeneratorLoss {
        /** -log D(G(z)): strong gradients while D rejects the samples (Goodfellow et al., section 3). */
        NON_SATURATING,
        /** log(1 - D(G(z))): the minimax game itself; its gradient vanishes while D wins easily. */
        MINIMAX;

        /**
         * The loss named {@code non-saturating} or {@code minimax}; throws naming the allowed names.
         *
         * @param name non-saturating or minimax
         * @return the loss named {@code non-saturating} or {@code minimax}
         */
        public static GeneratorLoss named(String name) {
            return switch (name) {
                case "non-saturating" -> NON_SATURATING;
                case "minimax" -> MINIMAX;
                default -> throw new IllegalArgumentException("--loss: unknown '" + name
                        + "' (allowed: non-saturating, minimax)");
            };
        }
    }

    private final GanConfig config;
    private final Sequential generator;
    private final Sequential discriminator;

    /**
     * A float32 GAN initialised from {@code g} (PyTorch's default Linear initialisation).
     *
     * @param config the configuration
     * @param g the generator to draw from
     */
    public Gan(GanConfig config, Generator g) {
        this.config = config;
        List<Layer> gen = new ArrayList<>();
        int width = config.latent();
        for (int h : config.generatorHidden()) {
            gen.add(new Linear(width, h, g));
            gen.add(new Activation.LeakyRelu(config.slope()));
            width = h;
        }
        gen.add(new Linear(width, config.dataDim(), g));
        if (config.tanhOutput()) {
            gen.add(new Activation.Tanh());
        }
        generator = registerModule("generator", new Sequential(gen));
        List<Layer> dis = new ArrayList<>();
        width = config.dataDim() * config.pack();
        for (int h : config.discriminatorHidden()) {
            dis.add(config.spectralNorm() ? new SpectralNormLinear(width, h, g) : new Linear(width, h, g));
            dis.add(new Activation.LeakyRelu(config.slope()));
            width = h;
        }
        dis.add(config.spectralNorm() ? new SpectralNormLinear(width, 1, g) : new Linear(width, 1, g));
        discriminator = registerModule("discriminator", new Sequential(dis));
    }

    /**
     * The configuration.
     *
     * @return the configuration
     */
    public GanConfig config() {
        return config;
    }

    /**
     * The generator network.
     *
     * @return the generator network
     */
    public Sequential generator() {
        return generator;
    }

    /**
     * The discriminator network.
     *
     * @return the discriminator network
     */
    public Sequential discriminator() {
        return discriminator;
    }

    /**
     * G(z) for a [n, latent] batch.
     *
     * @param z latent codes [n, latent]
     * @return G(z), [n, dataDim]
     */
    public Variable generate(Variable z) {
        return generator.forward(z);
    }

    /**
     * D's logits for a [n, dataDim] batch: [n / pack, 1], each judging {@code pack} consecutive samples.
     *
     * @param x samples [n, dataDim]
     * @return D's logits, [n / pack, 1]
     * @throws IllegalArgumentException when n is not a multiple of the packing degree
     */
    public Variable discriminate(Variable x) {
        int n = x.shape().dim(0);
        int pack = config.pack();
        if (n % pack != 0) {
            throw new IllegalArgumentException("discriminate: a batch of " + n + " samples cannot be packed "
                    + pack + " at a time");
        }
        return discriminator.forward(pack == 1 ? x : x.reshape(n / pack, pack * config.dataDim()));
    }

    /**
     * z ~ N(0, I), [n, latent].
     *
     * @param n the number of codes
     * @param g the generator to draw from
     * @return z ~ N(0, I), [n, latent]
     */
    public Tensor noise(int n, Generator g) {
        return Tensor.randn(g, DType.FLOAT32, n, config.latent());
    }

    /**
     * The discriminator's loss -(E[log D(x)] + E[log(1 - D(G(z)))]) with real targets {@code realLabel} (1, or e.g. 0.9 for one-sided label smoothing).
     *
     * @param real D's probabilities for real samples
     * @param fake D's probabilities for generated samples
     * @param realLabel the target for real examples in the discriminator loss (1, or 0.9 for one-sided label smoothing)
     * @return the discriminator's loss
     */
    public Variable discriminatorLoss(Variable real, Variable fake, double realLabel) {
        return discriminatorLossOnLogits(discriminate(real), discriminate(fake), realLabel);
    }

    /**
     * The discriminator's loss from its logits for real and generated samples.
     *
     * @param realLogits D's logits for real samples
     * @param fakeLogits D's logits for generated samples
     * @param realLabel the target for real examples in the discriminator loss (1, or 0.9 for one-sided label smoothing)
     * @return the discriminator's loss from its logits for real and generated samples
     */
    public Variable discriminatorLossOnLogits(Variable realLogits, Variable fakeLogits, double realLabel) {
        Variable onReal = Losses.bceWithLogits(realLogits, constant(realLabel, realLogits), Reduction.MEAN);
        Variable onFake = Losses.bceWithLogits(fakeLogits, constant(0.0, fakeLogits), Reduction.MEAN);
        return onReal.add(onFake);
    }

    /**
     * The generator's loss on D's logits for generated samples.
     *
     * @param fakeLogits D's logits for generated samples
     * @param kind non-saturating or minimax
     * @return the generator's loss on D's logits for generated samples
     */
    public Variable generatorLoss(Variable fakeLogits, GeneratorLoss kind) {
        return switch (kind) {
            case NON_SATURATING -> Losses.bceWithLogits(fakeLogits, constant(1.0, fakeLogits), Reduction.MEAN);
            case MINIMAX -> Losses.bceWithLogits(fakeLogits, constant(0.0, fakeLogits), Reduction.MEAN).neg();
        };
    }

    private static Variable constant(double value, Variable like) {
        return Variable.constant(Tensor.full(value, like.dtype(), like.shape().dims()));
    }

    /**
     * {@code n} samples from G (no graph).
     *
     * @param n the number of samples
     * @param g the generator to draw from
     * @return {@code n} samples [n, dataDim] from G
     */
    public Tensor sample(int n, Generator g) {
        return sample(noise(n, g));
    }

    /**
     * G(z) for given z (no graph).
     *
     * @param z latent codes [n, latent]
     * @return G(z), [n, dataDim]
     */
    public Tensor sample(Tensor z) {
        try (NoGrad ignored = NoGrad.enter()) {
            return generate(Variable.constant(z)).value();
        }
    }

    /**
     * {@code steps} samples along the path from {@code z0} to {@code z1} ([1, latent] each): linear, or
     * spherical (slerp, which keeps the norm typical of a Gaussian in high dimensions).
     *
     * @param z0 the path's start [1, latent]
     * @param z1 the path's end [1, latent]
     * @param steps the number of points, both ends included
     * @param spherical whether the path is spherical (slerp) rather than straight
     * @return the decoded points [steps, dataDim]
     */
    public Tensor interpolate(Tensor z0, Tensor z1, int steps, boolean spherical) {
        Tensor[] zs = new Tensor[steps];
        double omega = 0;
        if (spherical) {
            double dot = z0.mul(z1).sum().item();
            double cos = dot / Math.sqrt(z0.square().sum().item() * z1.square().sum().item());
            omega = Math.acos(Math.max(-1, Math.min(1, cos)));
        }
        for (int i = 0; i < steps; i++) {
            double t = steps == 1 ? 0 : (double) i / (steps - 1);
            double a = 1 - t;
            double b = t;
            if (spherical && omega > 1e-6) {
                a = Math.sin((1 - t) * omega) / Math.sin(omega);
                b = Math.sin(t * omega) / Math.sin(omega);
            }
            zs[i] = z0.mul(a).add(z1.mul(b));
        }
        return sample(Tensor.concat(0, zs));
    }
}
