package org.autodiff4j.models.vae;

import org.autodiff4j.autograd.NoGrad;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.models.data.Batch;
import org.autodiff4j.models.data.DataLoader;
import org.autodiff4j.models.data.TensorDataset;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/**
 * Evaluation tools for a trained {@link Vae}: the negative ELBO and the importance-weighted log-likelihood
 * on held-out data, and the 2-D latent manifold picture.
 */
public final class VaeEvaluation {
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private VaeEvaluation() {
    }

    /**
     * A negative ELBO and its two terms, in nats per example.
     *
     * @param loss           the negative ELBO
     * @param reconstruction its reconstruction term
     * @param kl             its KL term
     */
    public record Elbo(double loss, double reconstruction, double kl) {
    }

    /**
     * The mean negative ELBO (one z sample per example) over all rows of {@code data}.
     *
     * @param vae       the model
     * @param data      the images as rows
     * @param batchSize examples per batch
     * @param g         the generator to draw from
     * @return the mean negative ELBO and its two terms
     */
    public static Elbo elbo(Vae vae, Tensor data, int batchSize, Generator g) {
        double loss = 0;
        double recon = 0;
        double kl = 0;
        int n = data.shape().dim(0);
        try (NoGrad ignored = NoGrad.enter()) {
            for (Batch b : new DataLoader(TensorDataset.of(data), batchSize, false, false).epoch(null)) {
                Vae.Elbo e = vae.loss(b.x(), g);
                int m = b.size();
                loss += e.negElbo() * m;
                recon += e.reconstruction() * m;
                kl += e.kl() * m;
            }
        }
        return new Elbo(loss / n, recon / n, kl / n);
    }

    /**
     * The mean importance-weighted negative log-likelihood over the rows of {@code data}, in nats.
     *
     * @param vae  the model
     * @param data the images as rows
     * @param k    importance samples per example
     * @param g    the generator to draw from
     * @return the mean importance-weighted negative log-likelihood (the IWAE bound), in nats
     */
    public static double importanceWeightedNll(Vae vae, Tensor data, int k, Generator g) {
        double[] ll = logLikelihood(vae, data, k, g, Math.min(k, 1000));
        double sum = 0;
        for (double v : ll) {
            sum += v;
        }
        return -sum / ll.length;
    }

    /**
     * For a 2-D latent space, the decoder's means over an n x n grid whose coordinates are the inverse
     * Gaussian CDF of evenly spaced points of the unit square (Kingma and Welling, figure 4), row by row.
     *
     * @param vae the model
     * @param n points per side of the grid
     * @return the decoded grid [n * n, inputDim], row by row
     */
    public static Tensor manifold(Vae vae, int n) {
        if (vae.latent() != 2) {
            throw new IllegalStateException("manifold: needs a 2-dimensional latent space, this VAE has " + vae.latent());
        }
        float[] z = new float[n * n * 2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                z[(i * n + j) * 2] = (float) normalQuantile((j + 0.5) / n);
                z[(i * n + j) * 2 + 1] = (float) normalQuantile(1 - (i + 0.5) / n);
            }
        }
        return vae.decodeMean(Tensor.of(z, n * n, 2));
    }

    /**
     * The importance-weighted estimate of log p(x) per example (Burda et al. 2016):
     * log (1/k) sum_i p(x|z_i) p(z_i) / q(z_i|x) with z_i ~ q(z|x), computed as a log-mean-exp; k = 1 gives
     * the ELBO. Samples are decoded {@code chunk} at a time, examples one after another on the calling thread (the
     * kernels spread each chunk over the cores), each with its own generator split from {@code g} in example order,
     * so the result does not depend on the number of threads.
     *
     * @param vae the model
     * @param x a batch [n, inputDim]
     * @param k importance samples per example
     * @param g the generator to draw from
     * @param chunk samples decoded at a time
     * @return the estimate of log p(x) for each example, in nats
     */
    public static double[] logLikelihood(Vae vae, Tensor x, int k, Generator g, int chunk) {
        double[] out = logLikelihood(vae, x, k, g, 0, chunk);
        for (int i = 0; i < x.shape().dim(0); i++) {
            g.split(); // as if each example's generator had been split off in turn
        }
        return out;
    }

    /**
     * The importance-weighted estimate of log p(x) per example, as {@link #logLikelihood(Vae, Tensor, int, Generator, int)},
     * with example {@code i} of {@code x} drawing from {@code base.splitAt(first + i)}: its random numbers depend only on
     * its index in the whole data set, so the data set may be cut into parts computed anywhere, in any order.
     *
     * @param vae the model
     * @param x a batch [n, inputDim]
     * @param k importance samples per example
     * @param base the generator whose splits the examples draw from (not advanced)
     * @param first the index of {@code x}'s first row in the whole data set
     * @param chunk samples decoded at a time
     * @return the estimate of log p(x) for each example, in nats
     */
    public static double[] logLikelihood(Vae vae, Tensor x, int k, Generator base, long first, int chunk) {
        if (k <= 0 || chunk <= 0) {
            throw new IllegalArgumentException("logLikelihood: k and chunk must be positive, got " + k + " and " + chunk);
        }
        int n = x.shape().dim(0);
        Generator[] perExample = new Generator[n];
        for (int i = 0; i < n; i++) {
            perExample[i] = base.splitAt(first + i);
        }
        Vae.Posterior q;
        try (NoGrad ignored = NoGrad.enter()) {
            q = vae.encode(Variable.constant(x));
        }
        Tensor means = q.mean().value();
        Tensor logvars = q.logvar().value();
        double[] out = new double[n];
        // NOTE: one example at a time. A parallel stream over the examples ran the convolutions on the caller and 7
        // common-pool threads (the kernels' joins made the pool add threads), each with its own oneDNN plans and
        // buffers: k = 5000 over 100 test images of the conv VAE peaked at 5.5 GB RSS against 674 MB now, and
        // took 35.5 s against 33.6 s (farm-bench, 2 alternating runs, medians); over all 10000 it was killed at 24 GB
        try (NoGrad ignored = NoGrad.enter()) {
            for (int i = 0; i < n; i++) {
                out[i] = logLikelihoodOne(vae, x.sliceRows(i, i + 1), means.sliceRows(i, i + 1),
                        logvars.sliceRows(i, i + 1), k, perExample[i], chunk);
            }
        }
        return out;
    }

    /** Test images per block of {@link #logLikelihoodBlocks}. */
    public static final int BLOCK = 100;

    /**
     * log p(x) of the images in blocks {@code [from, to)} of {@value #BLOCK} images (the last may be shorter), image
     * {@code i} of the whole set drawing from {@code base.splitAt(i)}, each block encoded as one batch: a block's result
     * depends only on the model, its images and {@code base}, so the blocks may be computed in any number of parts,
     * anywhere, and put together in order bit for bit.
     *
     * @param vae the model
     * @param images all the images [n, inputDim]
     * @param k importance samples per image
     * @param base the generator the images' streams split from (not advanced)
     * @param from the first block
     * @param to the block after the last
     * @return the estimates of blocks {@code [from, to)}, in image order
     */
    public static double[] logLikelihoodBlocks(Vae vae, Tensor images, int k, Generator base, int from, int to) {
        int n = images.shape().dim(0);
        int lo = Math.min(n, from * BLOCK);
        int hi = Math.min(n, to * BLOCK);
        double[] out = new double[hi - lo];
        for (int b = lo; b < hi; b += BLOCK) {
            int e = Math.min(hi, b + BLOCK);
            double[] ll = logLikelihood(vae, images.sliceRows(b, e), k, base, b, Math.min(k, 1000));
            System.arraycopy(ll, 0, out, b - lo, ll.length);
        }
        return out;
    }

    private static double logLikelihoodOne(Vae vae, Tensor x, Tensor mu, Tensor lv, int k, Generator g, int chunk) {
        Tensor sigma = lv.mul(0.5).exp();
        Variable xi = Variable.constant(x);
        double logqConst = -0.5 * (vae.latent() * LOG_2PI + lv.sum().item());
        LogMeanExp acc = new LogMeanExp();
        for (int done = 0; done < k; done += chunk) {
            int s = Math.min(chunk, k - done);
            Tensor eps = Tensor.randn(g, x.dtype(), s, vae.latent());
            Tensor z = mu.add(sigma.mul(eps));
            Tensor logPxz = vae.reconstructionNll(vae.decode(Variable.constant(z)), xi).value().neg();
            Tensor logPz = z.square().sum(1, false).mul(-0.5).add(-0.5 * vae.latent() * LOG_2PI);
            Tensor logQz = eps.square().sum(1, false).mul(-0.5).add(logqConst);
            acc.add(logPxz.add(logPz).sub(logQz));
        }
        return acc.value();
    }

    /** A running log-mean-exp over batches of log-weights, stable for any magnitude. */
    private static final class LogMeanExp {
        private double max = Double.NEGATIVE_INFINITY;
        private double sum;
        private long count;

        void add(Tensor logWeights) {
            double[] w = logWeights.toDoubleArray();
            for (double v : w) {
                if (v > max) {
                    sum = sum * Math.exp(max - v) + 1.0;
                    max = v;
                } else {
                    sum += Math.exp(v - max);
                }
            }
            count += w.length;
        }

        double value() {
            return max + Math.log(sum / count);
        }
    }

    /** The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9). */
    static double normalQuantile(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("normalQuantile: p must be in (0, 1), got " + p);
        }
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
            -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
            -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
            4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        double lo = 0.02425;
        if (p < lo || p > 1 - lo) {
            double q = Math.sqrt(-2 * Math.log(p < lo ? p : 1 - p));
            double x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
            return p < lo ? x : -x;
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
}
