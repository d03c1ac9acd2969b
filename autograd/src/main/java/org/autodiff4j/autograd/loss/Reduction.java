package org.autodiff4j.autograd.loss;

import org.autodiff4j.autograd.Variable;

/** How a loss turns its elementwise terms into the returned value. */
public enum Reduction {
    /** The elementwise terms themselves. */
    NONE,
    /** The sum of all terms. */
    SUM,
    /** The mean of all terms (PyTorch's default). */
    MEAN,
    /**
     * The sum divided by the size of axis 0 (PyTorch's {@code batchmean}): for a VAE, the loss summed
     * over pixels or latent dimensions and averaged over the batch.
     */
    BATCH_MEAN;

    /**
     * Applies this reduction to elementwise terms.
     *
     * @param terms the elementwise terms
     * @return the reduced terms (the terms themselves for NONE)
     */
    public Variable reduce(Variable terms) {
        return switch (this) {
            case NONE -> terms;
            case SUM -> terms.sum();
            case MEAN -> terms.mean();
            case BATCH_MEAN -> terms.sum().mul(1.0 / (terms.shape().rank() == 0 ? 1 : terms.shape().dim(0)));
        };
    }
}
