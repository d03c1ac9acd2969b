package org.autodiff4j.models.vae;

import org.autodiff4j.autograd.NoGrad;
import org.autodiff4j.models.data.Batch;
import org.autodiff4j.models.data.DataLoader;
import org.autodiff4j.models.data.TensorDataset;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/** Figures of a trained {@link Vae} on held-out data: the negative ELBO and the importance-weighted NLL. */
public final class VaeEvaluation {
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
        double[] ll = vae.logLikelihood(data, k, g, Math.min(k, 1000));
        double sum = 0;
        for (double v : ll) {
            sum += v;
        }
        return -sum / ll.length;
    }
}
