package org.autodiff4j.models.vae;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.autodiff4j.autograd.NoGrad;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.autograd.loss.Losses;
import org.autodiff4j.autograd.loss.Reduction;
import org.autodiff4j.autograd.ops.BroadcastTo;
import org.autodiff4j.nn.Activation;
import org.autodiff4j.nn.Checkpoint;
import org.autodiff4j.nn.Layer;
import org.autodiff4j.nn.Linear;
import org.autodiff4j.nn.Module;
import org.autodiff4j.nn.Sequential;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Shape;
import org.autodiff4j.tensor.Tensor;

/**
 * The variational auto-encoder of Kingma and Welling (2014): an encoder maps x to the mean and
 * log-variance of a diagonal Gaussian q(z|x); the reparameterisation z = mu + exp(logvar / 2) * eps,
 * eps ~ N(0, I), lets gradients reach the encoder; a decoder maps z to p(x|z). Training minimises the
 * negative ELBO, -E_q[log p(x|z)] + KL(q(z|x) || N(0, I)) (the paper's equation 10 and appendix B),
 * averaged over the batch. Parameters: {@code encoder.*}, {@code mean.*}, {@code logvar.*},
 * {@code decoder.*}. Images travel as flat [n, inputDim] rows; a convolutional network unflattens them itself
 * (see {@link ConvVae}).
 */
public final class Vae extends Module {
    /** The most codes {@link #decodeMean} sends through the decoder at once. */
    public static final int DECODE_BLOCK = 500;

    /** The {@code model} value in checkpoints. */
    public static final String MODEL_NAME = "vae";

    private final VaeConfig config;
    private final Layer encoder;
    private final Layer mean;
    private final Layer logvar;
    private final Layer decoder;
    private final int inputDim;
    private final int latent;
    private final VaeConfig.Likelihood likelihood;
    private final Map<String, String> description;

    /**
     * A VAE of the given networks: the encoder maps [n, inputDim] images to features h, the two heads map h to the
     * mean and log-variance of q(z|x), each [n, latent], and the decoder maps [n, latent] codes to p(x|z)'s raw
     * parameters, [n, inputDim] Bernoulli logits or [n, 2 inputDim] Gaussian means then log-variances. The
     * description goes into every checkpoint; its {@code model} entry names the
     * {@link org.autodiff4j.models.ModelRegistry} entry that rebuilds the networks.
     *
     * @param encoder x to h
     * @param mean h to the posterior mean
     * @param logvar h to the posterior log-variance
     * @param decoder z to p(x|z)'s parameters
     * @param inputDim pixels per image
     * @param latent the size of z
     * @param likelihood the decoder's distribution
     * @param description the checkpoint metadata describing the model, with a {@code model} entry
     * @throws IllegalArgumentException when a size is below 1 or the description has no {@code model}
     */
    public Vae(Layer encoder, Layer mean, Layer logvar, Layer decoder, int inputDim, int latent,
               VaeConfig.Likelihood likelihood, Map<String, String> description) {
        this(encoder, mean, logvar, decoder, inputDim, latent, likelihood, description, null);
    }

    private Vae(Layer encoder, Layer mean, Layer logvar, Layer decoder, int inputDim, int latent,
                VaeConfig.Likelihood likelihood, Map<String, String> description, VaeConfig config) {
        if (inputDim < 1 || latent < 1) {
            throw new IllegalArgumentException("Vae: inputDim " + inputDim + " and latent " + latent + " must be at least 1");
        }
        if (!description.containsKey(Checkpoint.MODEL_KEY)) {
            throw new IllegalArgumentException("Vae: the description " + description + " has no '"
                    + Checkpoint.MODEL_KEY + "' entry naming the model for checkpoints");
        }
        this.encoder = registerModule("encoder", encoder);
        this.mean = registerModule("mean", mean);
        this.logvar = registerModule("logvar", logvar);
        this.decoder = registerModule("decoder", decoder);
        this.inputDim = inputDim;
        this.latent = latent;
        this.likelihood = likelihood;
        this.description = Collections.unmodifiableMap(new LinkedHashMap<>(description));
        this.config = config;
    }

    /**
     * The bundled fully connected VAE, float32, initialised from {@code g} (PyTorch's default Linear
     * initialisation): the hidden layers of the configuration with its activation, mirrored in the decoder.
     *
     * @param config the configuration
     * @param g the generator to draw from
     */
    public Vae(VaeConfig config, Generator g) {
        this(mlpEncoder(config, g), new Linear(last(config), config.latent(), g),
                new Linear(last(config), config.latent(), g), mlpDecoder(config, g), config.inputDim(), config.latent(),
                config.likelihood(), config.toMetadata(), config);
    }

    private static int last(VaeConfig config) {
        return config.hidden().isEmpty() ? config.inputDim() : config.hidden().get(config.hidden().size() - 1);
    }

    private static Sequential mlpEncoder(VaeConfig config, Generator g) {
        List<Layer> enc = new ArrayList<>();
        int width = config.inputDim();
        for (int h : config.hidden()) {
            enc.add(new Linear(width, h, g));
            enc.add(Activation.named(config.activation()));
            width = h;
        }
        return new Sequential(enc);
    }

    private static Sequential mlpDecoder(VaeConfig config, Generator g) {
        List<Layer> dec = new ArrayList<>();
        int width = config.latent();
        for (int i = config.hidden().size() - 1; i >= 0; i--) {
            dec.add(new Linear(width, config.hidden().get(i), g));
            dec.add(Activation.named(config.activation()));
            width = config.hidden().get(i);
        }
        int outputs = config.likelihood() == VaeConfig.Likelihood.GAUSSIAN ? 2 * config.inputDim() : config.inputDim();
        dec.add(new Linear(width, outputs, g));
        return new Sequential(dec);
    }

    /**
     * The configuration of the bundled fully connected VAE.
     *
     * @return the configuration, or null for networks given to the constructor
     */
    public VaeConfig config() {
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
     * Pixels per image: the width of the flat rows the VAE encodes and decodes.
     *
     * @return the input size
     */
    public int inputDim() {
        return inputDim;
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
     * The decoder's distribution p(x|z).
     *
     * @return the likelihood
     */
    public VaeConfig.Likelihood likelihood() {
        return likelihood;
    }

    /** The parameters of q(z|x): mean and log-variance, each [batch, latent]. */
    public record Posterior(Variable mean, Variable logvar) {
    }

    /**
     * A batch's training objective and the two terms of its negative ELBO, each averaged over the batch.
     *
     * @param loss           reconstruction + klWeight * KL, to differentiate (the negative ELBO at weight 1)
     * @param reconstruction -E_q[log p(x|z)]
     * @param kl             KL(q(z|x) || N(0, I))
     */
    public record Elbo(Variable loss, double reconstruction, double kl) {
        /**
         * The negative ELBO, whatever KL weight the loss was built with.
         *
         * @return the negative ELBO, whatever KL weight the loss was built with
         */
        public double negElbo() {
            return reconstruction + kl;
        }
    }

    /**
     * q(z|x) for a [batch, inputDim] batch.
     *
     * @param x a batch [n, inputDim]
     * @return q(z|x) for a [batch, inputDim] batch
     */
    public Posterior encode(Variable x) {
        Variable h = encoder.forward(x);
        return new Posterior(mean.forward(h), logvar.forward(h));
    }

    /**
     * z = mu + exp(logvar / 2) * eps with eps ~ N(0, I) drawn from {@code g} outside the graph.
     *
     * @param q the posterior
     * @param g the generator to draw from
     * @return latent samples [n, latent]
     */
    public Variable reparameterize(Posterior q, Generator g) {
        Tensor eps = Tensor.randn(g, q.mean().dtype(), q.mean().shape().dims());
        return q.mean().add(q.logvar().mul(0.5).exp().mul(Variable.constant(eps)));
    }

    /**
     * The decoder's raw output: Bernoulli logits [batch, inputDim], or Gaussian mean and log-variance side by side.
     *
     * @param z latent codes [n, latent]
     * @return the decoder's raw output: Bernoulli logits [n, inputDim], or Gaussian mean and log-variance side by side
     */
    public Variable decode(Variable z) {
        return decoder.forward(z);
    }

    /**
     * -log p(x|z) per example, summed over pixels, from the decoder's raw output.
     *
     * @param out the decoder's output for z, as {@link #decode} returns it
     * @param x the images [n, inputDim]
     * @return -log p(x|z) per example, [n]
     */
    public Variable reconstructionNll(Variable out, Variable x) {
        int d = inputDim;
        Variable perPixel = likelihood == VaeConfig.Likelihood.BERNOULLI
                ? Losses.bceWithLogits(out, x, Reduction.NONE)
                : Losses.gaussianNll(x, out.narrow(1, 0, d), out.narrow(1, d, d), Reduction.NONE);
        return perPixel.sum(1, false);
    }

    /**
     * The negative ELBO of a [batch, inputDim] batch, one z sample per example: reconstruction summed
     * over pixels plus KL summed over latent dimensions, both averaged over the batch.
     *
     * @param x a batch [n, inputDim]
     * @param g the generator to draw from
     * @return the negative ELBO and its two terms
     */
    public Elbo loss(Tensor x, Generator g) {
        return loss(x, g, 1.0);
    }

    /**
     * Like {@link #loss(Tensor, Generator)} with the KL term weighted by {@code klWeight} in the loss to
     * differentiate: deterministic warm-up (Sonderby et al. 2016) raises it from 0 to 1 early in training.
     *
     * @param x a batch [n, inputDim]
     * @param g the generator to draw from
     * @param klWeight the weight of the KL term in the loss to differentiate
     * @return the negative ELBO and its two terms (the reported ELBO is unweighted)
     */
    public Elbo loss(Tensor x, Generator g, double klWeight) {
        Variable input = Variable.constant(x);
        Posterior q = encode(input);
        Variable z = reparameterize(q, g);
        Variable recon = reconstructionNll(decode(z), input).mean();
        Variable kl = Losses.gaussianKl(q.mean(), q.logvar(), Reduction.BATCH_MEAN);
        Variable loss = klWeight == 1.0 ? recon.add(kl) : recon.add(kl.mul(klWeight));
        return new Elbo(loss, recon.item(), kl.item());
    }

    /**
     * The importance-weighted bound of Burda et al. (2016, equation 8) as a training objective: {@code k} reparameterised
     * samples z_i ~ q(z|x) per example and {@code -log (1/k) sum_i p(x|z_i) p(z_i) / q(z_i|x)}, averaged over the batch
     * (a log-mean-exp, stable for any weights). {@code k = 1} is a one-sample estimate of the negative ELBO; larger
     * {@code k} gives a tighter bound on -log p(x) and trains a better likelihood (the IWAE).
     *
     * @param x a batch [n, inputDim]
     * @param k importance samples per example
     * @param g the generator to draw from
     * @return the negative bound to differentiate, with the negative ELBO's two terms estimated from the same samples
     * @throws IllegalArgumentException when k is below 1
     */
    public Elbo iwaeLoss(Tensor x, int k, Generator g) {
        if (k < 1) {
            throw new IllegalArgumentException("iwaeLoss: k must be at least 1, got " + k);
        }
        int n = x.shape().dim(0);
        Posterior q = encode(Variable.constant(x));
        Variable logvar = repeated(q.logvar(), k);                              // [k n, latent], sample-major
        Tensor eps = Tensor.randn(g, x.dtype(), k * n, latent);
        Variable z = repeated(q.mean(), k).add(logvar.mul(0.5).exp().mul(Variable.constant(eps)));
        Variable logPxz = reconstructionNll(decode(z), repeated(Variable.constant(x), k)).neg();
        // log p(z) - log q(z|x) with z = mu + sigma eps: the 2 pi terms cancel; q's depends on the parameters
        // only through -sum(log sigma)
        Variable logPz = z.square().sum(1, false).mul(-0.5);
        Variable logQz = logvar.sum(1, false).mul(-0.5).add(Variable.constant(eps.square().sum(1, false).mul(-0.5)));
        Variable logW = logPxz.add(logPz).sub(logQz).reshape(k, n);
        Variable max = logW.max(0, true).detach();
        Variable bound = logW.sub(max).exp().mean(0, false).log().add(max.reshape(n));
        Variable loss = bound.mean().neg();
        return new Elbo(loss, -logPxz.mean().item(), logQz.sub(logPz).mean().item());
    }

    /** [n, d] repeated {@code k} times as [k n, d], sample-major; its gradient sums the k copies. */
    private static Variable repeated(Variable v, int k) {
        int n = v.shape().dim(0);
        int d = v.shape().dim(1);
        return BroadcastTo.apply(v.reshape(1, n, d), Shape.of(k, n, d)).reshape(k * n, d);
    }

    /**
     * The means of p(x|z) for a [n, latent] z: pixel probabilities (Bernoulli) or Gaussian means, the codes going
     * through the decoder {@value #DECODE_BLOCK} at a time.
     *
     * @param z latent codes [n, latent]
     * @return the means of p(x|z), [n, inputDim]
     */
    public Tensor decodeMean(Tensor z) {
        Tensor out = evaluate(z, DECODE_BLOCK, this::decode);
        return likelihood == VaeConfig.Likelihood.BERNOULLI ? out.sigmoid() : out.narrow(1, 0, inputDim);
    }

    /**
     * {@code n} samples by forward sampling: z ~ N(0, I), then the decoder's means, or, when
     * {@code draw} is set, a draw from p(x|z) (Bernoulli pixels or Gaussian noise).
     *
     * @param n the number of samples
     * @param g the generator to draw from
     * @param draw whether to draw from p(x|z) rather than take its means
     * @return the samples [n, inputDim]
     */
    public Tensor sample(int n, Generator g, boolean draw) {
        Tensor means = decodeMean(Tensor.randn(g, DType.FLOAT32, n, latent));
        if (!draw) {
            return means;
        }
        if (likelihood == VaeConfig.Likelihood.BERNOULLI) {
            return means.bernoulli(g);
        }
        throw new UnsupportedOperationException("drawing Gaussian pixels needs the log-variance; use decode()");
    }

    /**
     * The posterior means of a batch, [n, latent].
     *
     * @param x a batch [n, inputDim]
     * @return the posterior means of a batch, [n, latent]
     */
    public Tensor encodeMean(Tensor x) {
        try (NoGrad ignored = NoGrad.enter()) {
            return encode(Variable.constant(x)).mean().value();
        }
    }

    /**
     * Reconstructions of a batch: the decoder's means at the posterior means.
     *
     * @param x a batch [n, inputDim]
     * @return the reconstructions [n, inputDim]
     */
    public Tensor reconstruct(Tensor x) {
        return decodeMean(encodeMean(x));
    }

    /**
     * {@code steps} decoded points on the straight line between the posterior means of two images ([1, D] each).
     *
     * @param a the first image [1, inputDim]
     * @param b the second image [1, inputDim]
     * @param steps the number of points, both ends included
     * @return the decoded points [steps, inputDim]
     */
    public Tensor interpolate(Tensor a, Tensor b, int steps) {
        Tensor za = encodeMean(a);
        Tensor zb = encodeMean(b);
        Tensor[] rows = new Tensor[steps];
        for (int i = 0; i < steps; i++) {
            double t = steps == 1 ? 0 : (double) i / (steps - 1);
            rows[i] = za.mul(1 - t).add(zb.mul(t));
        }
        return decodeMean(Tensor.concat(0, rows));
    }
}
