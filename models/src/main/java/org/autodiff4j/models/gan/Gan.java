package org.autodiff4j.models.gan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.autodiff4j.autograd.Autograd;
import org.autodiff4j.autograd.NoGrad;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.autograd.loss.Losses;
import org.autodiff4j.autograd.loss.Reduction;
import org.autodiff4j.nn.Activation;
import org.autodiff4j.nn.Checkpoint;
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
 * logit with the stable BCE-with-logits. Parameters: {@code generator.*}, {@code discriminator.*}, and
 * {@code generator_ema.*} when it keeps an average of G's weights.
 */
// NOTE: over 400 lines (535): the networks, their generator average, the losses and both penalties. The losses and
// penalties (about 120 lines) are the family to move out next, behind the same public methods
public final class Gan extends Module {
    /** The {@code model} value in checkpoints. */
    public static final String MODEL_NAME = "gan";

    /** The description's entry holding the generator average's decay, present only when there is an average. */
    public static final String AVERAGE_KEY = "ema";

    /** The most codes {@link #draw(Tensor)} sends through G at once. */
    public static final int DRAW_BLOCK = 500;

    /** The generator's loss. */
    public enum GeneratorLoss {
        /** -log D(G(z)): strong gradients while D rejects the samples (Goodfellow et al., section 3). */
        NON_SATURATING,
        /** log(1 - D(G(z))): the minimax game itself; its gradient vanishes while D wins easily. */
        MINIMAX,
        /**
         * The Wasserstein GAN's (Arjovsky et al. 2017): D is a critic with raw scores, its loss
         * {@code E[D(G(z))] - E[D(x)]}, the generator's {@code -E[D(G(z))]}; with a gradient penalty it is WGAN-GP.
         */
        WASSERSTEIN;

        /** The names {@link #named} accepts, in the order of the constants. */
        public static final java.util.List<String> NAMES = java.util.List.of("non-saturating", "minimax", "wasserstein");

        /**
         * The loss named {@code non-saturating}, {@code minimax} or {@code wasserstein}; throws naming the allowed names.
         *
         * @param name one of {@link #NAMES}
         * @return the loss of that name
         * @throws IllegalArgumentException naming the allowed names
         */
        public static GeneratorLoss named(String name) {
            return values()[Names.indexOf(NAMES, name, "GAN loss: unknown")];
        }
    }

    private final Layer generator;
    private final Layer discriminator;
    private final int latent;
    private final int pack;
    private final Map<String, String> description;
    private final GanConfig config;
    private final Layer generatorAverage;
    private final double averageDecay;

    /**
     * A GAN of the given networks, as pytorch/examples' dcgan: G maps [n, latent] codes to samples of any shape
     * ([n, d] rows, [n, C, H, W] images), D maps samples to [n, 1] logits. With {@code pack} above 1 (PacGAN,
     * Lin et al. 2018) D judges {@code pack} consecutive samples at once, joined along axis 1 (features or
     * channels), so its input has {@code pack} times the samples' axis 1. The description goes into every
     * checkpoint; its {@code model} entry names the {@link org.autodiff4j.models.ModelRegistry} entry that
     * rebuilds the networks.
     *
     * @param generator G
     * @param discriminator D
     * @param latent the size of z
     * @param pack how many samples D judges at once (1: one)
     * @param description the checkpoint metadata describing the model, with a {@code model} entry
     * @throws IllegalArgumentException when latent or pack is below 1, or the description has no {@code model}
     */
    public Gan(Layer generator, Layer discriminator, int latent, int pack, Map<String, String> description) {
        this(generator, discriminator, latent, pack, description, null, 0.0, null);
    }

    /**
     * A GAN that also keeps an exponential moving average of its generator's weights (Yazici et al. 2019; the
     * generator average of progressive GANs and StyleGAN), as PyTorch's {@code AveragedModel} with an EMA and
     * {@code use_buffers=True}: after every generator step ({@link #updateGeneratorAverage()}) each parameter and
     * buffer {@code a} of {@code average} becomes {@code decay a + (1 - decay) w}, w being G's. Training uses G;
     * the samples for pictures and reports ({@link #draw}) come from the average, which oscillates less than G.
     * Its entries in checkpoints are {@code generator_ema.*}, and the description gains {@code ema} (the decay).
     *
     * @param generator G
     * @param discriminator D
     * @param latent the size of z
     * @param pack how many samples D judges at once (1: one)
     * @param description the checkpoint metadata describing the model, with a {@code model} entry
     * @param average a network of G's architecture, not G itself; its weights are replaced by G's
     * @param decay the average's decay, in (0, 1): 0.999 weighs about the last thousand steps
     * @throws IllegalArgumentException when latent or pack is below 1, the description has no {@code model},
     *         the decay is out of range, or the average's entries differ from G's (naming them)
     */
    public Gan(Layer generator, Layer discriminator, int latent, int pack, Map<String, String> description,
               Layer average, double decay) {
        this(generator, discriminator, latent, pack, description, java.util.Objects.requireNonNull(average, "average"),
                decay, null);
    }

    private Gan(Layer generator, Layer discriminator, int latent, int pack, Map<String, String> description,
                Layer average, double decay, GanConfig config) {
        if (latent < 1 || pack < 1) {
            throw new IllegalArgumentException("Gan: latent " + latent + " and pack " + pack + " must be at least 1");
        }
        if (!description.containsKey(Checkpoint.MODEL_KEY)) {
            throw new IllegalArgumentException("Gan: the description " + description + " has no '"
                    + Checkpoint.MODEL_KEY + "' entry naming the model for checkpoints");
        }
        if (average != null && !(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("Gan: the generator average's decay is " + decay + "; it must be in (0, 1)");
        }
        if (average == generator) {
            throw new IllegalArgumentException("Gan: the generator average must be a network of its own, not G");
        }
        this.generator = registerModule("generator", generator);
        this.discriminator = registerModule("discriminator", discriminator);
        this.latent = latent;
        this.pack = pack;
        Map<String, String> described = new java.util.LinkedHashMap<>(description);
        if (average != null) {
            described.put(AVERAGE_KEY, Double.toString(decay));
            this.generatorAverage = registerModule("generator_ema", average);
            average.loadStateDict(generator.stateDict());
            average.parameters().forEach(p -> p.requiresGrad(false));
        } else {
            this.generatorAverage = null;
        }
        this.averageDecay = average == null ? 0.0 : decay;
        this.description = java.util.Collections.unmodifiableMap(described);
        this.config = config;
    }

    /**
     * The generator average's decay a description records, 0 when it records none.
     *
     * @param description checkpoint metadata
     * @return the decay, or 0
     * @throws IllegalArgumentException when the entry is not a number in (0, 1)
     */
    public static double averageDecay(Map<String, String> description) {
        String v = description.get(AVERAGE_KEY);
        if (v == null) {
            return 0.0;
        }
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            d = Double.NaN;
        }
        if (!(d > 0 && d < 1)) {
            throw new IllegalArgumentException("GAN metadata: '" + AVERAGE_KEY + "' is '" + v + "'; it must be in (0, 1)");
        }
        return d;
    }

    /**
     * The bundled fully connected GAN, float32, initialised from {@code g} (PyTorch's default Linear
     * initialisation): LeakyReLU hidden layers, an optional tanh on G's output, spectral norm in D on request.
     *
     * @param config the configuration
     * @param g the generator to draw the initial weights from
     * @return the GAN
     */
    public static Gan mlp(GanConfig config, Generator g) {
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
        Sequential generator = new Sequential(gen);
        List<Layer> dis = new ArrayList<>();
        width = config.dataDim() * config.pack();
        for (int h : config.discriminatorHidden()) {
            dis.add(config.spectralNorm() ? new SpectralNormLinear(width, h, g) : new Linear(width, h, g));
            dis.add(new Activation.LeakyRelu(config.slope()));
            width = h;
        }
        dis.add(config.spectralNorm() ? new SpectralNormLinear(width, 1, g) : new Linear(width, 1, g));
        return new Gan(generator, new Sequential(dis), config.latent(), config.pack(), config.toMetadata(), null, 0.0,
                config);
    }

    /**
     * The bundled fully connected GAN with an average of its generator ({@code decay} 0: none), as
     * {@link #Gan(Layer, Layer, int, int, Map, Layer, double)}; the average's initial weights are G's, so {@code g}
     * is drawn from exactly as without it.
     *
     * @param config the configuration
     * @param decay the average's decay in (0, 1), or 0 for no average
     * @param g the generator to draw the initial weights from
     * @return the GAN
     */
    public static Gan mlp(GanConfig config, double decay, Generator g) {
        Gan gan = mlp(config, g);
        if (decay == 0) {
            return gan;
        }
        return new Gan(gan.generator, gan.discriminator, config.latent(), config.pack(), config.toMetadata(),
                mlp(config, new Generator(0)).generator, decay, config);
    }

    /**
     * The configuration of a GAN made by {@link #mlp}.
     *
     * @return the configuration, or null for networks given to the constructor
     */
    public GanConfig config() {
        return config;
    }

    /**
     * The checkpoint metadata describing the model; its {@code model} entry names the registry entry.
     *
     * @return the description
     */
    public Map<String, String> description() {
        return description;
    }

    /**
     * The size of z.
     *
     * @return the latent size
     */
    public int latent() {
        return latent;
    }

    /**
     * The average of the generator's weights, if this GAN keeps one.
     *
     * @return the average network, or empty
     */
    public java.util.Optional<Layer> generatorAverage() {
        return java.util.Optional.ofNullable(generatorAverage);
    }

    /**
     * Moves the generator average towards G's current weights, {@code a = decay a + (1 - decay) w} for every
     * parameter and buffer; does nothing without an average. {@link GanTrainer} calls it after every generator step.
     */
    public void updateGeneratorAverage() {
        if (generatorAverage == null) {
            return;
        }
        Map<String, Tensor> live = generator.stateDict();
        generatorAverage.stateDict().forEach((name, a) -> a.muli(averageDecay).axpyi(1 - averageDecay, live.get(name)));
    }

    /**
     * The number of trained parameters: G's and D's, without the generator average's copy.
     *
     * @return the count
     */
    public long trainedParameterCount() {
        return generator.parameterCount() + discriminator.parameterCount();
    }

    /**
     * The generator network.
     *
     * @return G
     */
    public Layer generator() {
        return generator;
    }

    /**
     * The discriminator network.
     *
     * @return D
     */
    public Layer discriminator() {
        return discriminator;
    }

    /**
     * G(z) for a [n, latent] batch.
     *
     * @param z latent codes [n, latent]
     * @return G(z): [n, ...] samples
     */
    public Variable generate(Variable z) {
        return generator.forward(z);
    }

    /**
     * D's logits for a batch of samples: [n / pack, 1], each judging {@code pack} consecutive samples joined along
     * axis 1.
     *
     * @param x samples [n, ...]
     * @return D's logits, [n / pack, 1]
     * @throws IllegalArgumentException when n is not a multiple of the packing degree
     */
    public Variable discriminate(Variable x) {
        return discriminator.forward(packed(x));
    }

    /** x with each {@code pack} consecutive samples joined along axis 1. */
    private Variable packed(Variable x) {
        if (pack == 1) {
            return x;
        }
        int[] dims = x.shape().dims();
        if (dims[0] % pack != 0) {
            throw new IllegalArgumentException("discriminate: a batch of " + dims[0] + " samples cannot be packed "
                    + pack + " at a time");
        }
        dims[0] /= pack;
        dims[1] *= pack;
        return x.reshape(dims);
    }

    /**
     * z ~ N(0, I), [n, latent].
     *
     * @param n the number of codes
     * @param g the generator to draw from
     * @return z ~ N(0, I), [n, latent]
     */
    public Tensor noise(int n, Generator g) {
        return Tensor.randn(g, DType.FLOAT32, n, latent);
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
        return discriminatorLossOnLogits(realLogits, fakeLogits, realLabel, GeneratorLoss.NON_SATURATING);
    }

    /**
     * The discriminator's loss for a game: the critic's {@code E[D(G(z))] - E[D(x)]} for {@link GeneratorLoss#WASSERSTEIN},
     * else the binary cross-entropy of {@link #discriminatorLossOnLogits(Variable, Variable, double)}.
     *
     * @param realLogits D's outputs for real samples
     * @param fakeLogits D's outputs for generated samples
     * @param realLabel the target for real examples (cross-entropy games only)
     * @param game the generator loss, which sets the game
     * @return the discriminator's loss
     */
    public Variable discriminatorLossOnLogits(Variable realLogits, Variable fakeLogits, double realLabel, GeneratorLoss game) {
        if (game == GeneratorLoss.WASSERSTEIN) {
            return fakeLogits.mean().sub(realLogits.mean());
        }
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
            case WASSERSTEIN -> fakeLogits.mean().neg();
        };
    }

    /**
     * The WGAN-GP gradient penalty (Gulrajani et al. 2017, algorithm 1): {@code E[(|grad D(x^)|_2 - 1)^2]} at
     * {@code x^ = e x + (1 - e) x~}, e ~ U[0, 1] per sample, the norm taken over each input D judges (a pack
     * of samples with PacGAN). Differentiable in D's parameters: the gradient inside is recorded
     * ({@link Autograd#grad} with createGraph), so the penalty's gradient reaches the critic.
     *
     * @param real real samples [n, ...]
     * @param fake generated samples [n, ...]
     * @param g the generator for e
     * @return the penalty, one element (multiply by lambda, 10 in the paper)
     */
    public Variable gradientPenalty(Tensor real, Tensor fake, Generator g) {
        int[] perSample = new int[real.shape().rank()];
        java.util.Arrays.fill(perSample, 1);
        perSample[0] = real.shape().dim(0);
        Tensor e = Tensor.rand(g, real.dtype(), perSample);
        Variable mixed = Variable.parameter(real.mul(e).add(fake.mul(e.affine(-1.0, 1.0))));
        return inputGradientNorms(mixed).sqrt().sub(1.0).square().mean();
    }

    /**
     * The R1 penalty (Mescheder et al. 2018, section 4.1): {@code E[|grad D(x)|^2]} over real samples, the norm
     * taken over each input D judges; differentiable in D's parameters.
     *
     * @param real real samples [n, ...]
     * @return the penalty, one element (multiply by gamma / 2)
     */
    public Variable r1Penalty(Tensor real) {
        return inputGradientNorms(Variable.parameter(real)).mean();
    }

    /** {@code |grad_x D(x)|^2} per input D judges, [n / pack], recorded for differentiating again. */
    private Variable inputGradientNorms(Variable x) {
        int n = x.shape().dim(0);
        Variable dx = Autograd.grad(discriminate(x).sum(), new Variable[] {x}, true)[0];
        // NOTE: the small constant keeps sqrt's derivative finite where a gradient vanishes (WGAN-GP's norm)
        return dx.reshape(n / pack, x.value().size() / (n / pack)).square().sum(1, false).add(1e-12);
    }

    private static Variable constant(double value, Variable like) {
        return Variable.constant(Tensor.full(value, like.dtype(), like.shape().dims()));
    }

    /**
     * {@code n} samples from G (no graph).
     *
     * @param n the number of samples
     * @param g the generator to draw from
     * @return {@code n} samples [n, ...] from G
     */
    public Tensor sample(int n, Generator g) {
        return sample(noise(n, g));
    }

    /**
     * G(z) for given z (no graph).
     *
     * @param z latent codes [n, latent]
     * @return G(z), [n, ...]
     */
    public Tensor sample(Tensor z) {
        try (NoGrad ignored = NoGrad.enter()) {
            return generate(Variable.constant(z)).value();
        }
    }

    /**
     * {@code n} samples drawn for pictures and reports: G, or its average when this GAN keeps one, in evaluation
     * mode (batch norm uses its running statistics and leaves them alone, so drawing changes nothing a resumed run
     * depends on), then back in its mode. The codes go through G {@value #DRAW_BLOCK} at a time, so that drawing
     * many holds one block's activations, not all of them.
     *
     * @param z latent codes [n, latent]
     * @return G(z), [n, ...]
     */
    public Tensor draw(Tensor z) {
        // NOTE: in one batch, `evaluate` drew its 10000 DCGAN samples for the digit report at a peak RSS of 6.1 GB
        // (the generator's activations and oneDNN's buffers for a batch of 10000) in 15.5 s; in blocks of 500 at
        // 633 MB in 4.8 s, the same class histogram
        Layer net = generatorAverage != null ? generatorAverage : generator;
        return net.evaluate(z, DRAW_BLOCK, net::forward);
    }

    /**
     * {@code n} samples for pictures and reports, as {@link #draw(Tensor)}.
     *
     * @param n the number of samples
     * @param g the generator z is drawn from
     * @return [n, ...] samples
     */
    public Tensor draw(int n, Generator g) {
        return draw(noise(n, g));
    }

    /**
     * {@code steps} samples along the path from {@code z0} to {@code z1} ([1, latent] each): linear, or
     * spherical (slerp, which keeps the norm typical of a Gaussian in high dimensions).
     *
     * @param z0 the path's start [1, latent]
     * @param z1 the path's end [1, latent]
     * @param steps the number of points, both ends included
     * @param spherical whether the path is spherical (slerp) rather than straight
     * @return the decoded points [steps, ...]
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
        return draw(Tensor.concat(0, zs));
    }
}
