package org.autodiff4j.autograd.loss;

import org.autodiff4j.autograd.Variable;
import org.autodiff4j.autograd.ops.BinaryCrossEntropy;
import org.autodiff4j.autograd.ops.BinaryCrossEntropyWithLogits;

/**
 * Loss functions in numerically stable forms, each differentiable through the ops it is built
 * from, with a {@link Reduction}. Shapes broadcast as in the underlying ops; a mismatch throws
 * {@link org.autodiff4j.tensor.ShapeException} naming the op and both shapes.
 */
public final class Losses {
    private static final double LOG_2PI = Math.log(2.0 * Math.PI);

    private Losses() {
    }

    /**
     * Binary cross-entropy of probabilities {@code p} in [0, 1] against targets {@code y}:
     * {@code -(y log p + (1 - y) log(1 - p))}, each log clamped at -100 (as PyTorch's BCELoss), so
     * saturated probabilities give a large finite loss instead of infinity. Prefer
     * {@link #bceWithLogits} when the probabilities come from a sigmoid.
     *
     * @param p the probabilities, in [0, 1]
     * @param y the targets
     * @param reduction how the elementwise terms are reduced
     * @return the loss, reduced as asked
     */
    public static Variable bce(Variable p, Variable y, Reduction reduction) {
        return reduction.reduce(BinaryCrossEntropy.apply(p, y));
    }

    /**
     * Binary cross-entropy of {@code sigmoid(logits)} against targets {@code y}, in the log-sum-exp form
     * {@code softplus(x) - x y = max(x, 0) - x y + log(1 + e^-|x|)}: finite for any finite logit, and its
     * gradient is exactly {@code sigmoid(x) - y}.
     *
     * @param logits the logits
     * @param y the targets
     * @param reduction how the elementwise terms are reduced
     * @return the loss, reduced as asked
     */
    public static Variable bceWithLogits(Variable logits, Variable y, Reduction reduction) {
        return reduction.reduce(BinaryCrossEntropyWithLogits.apply(logits, y));
    }

    /**
     * KL(N(mu, e^logvar) || N(0, 1)) per element: {@code (mu^2 + e^logvar - 1 - logvar) / 2}. For a
     * diagonal Gaussian q(z|x) over latent dimensions, {@link Reduction#BATCH_MEAN} gives the VAE's KL term
     * (summed over dimensions, averaged over the batch).
     *
     * @param mu the means
     * @param logvar the log-variances
     * @param reduction how the elementwise terms are reduced
     * @return the KL divergence, reduced as asked
     */
    public static Variable gaussianKl(Variable mu, Variable logvar, Reduction reduction) {
        Variable terms = mu.square().add(logvar.exp()).sub(logvar).sub(1.0).mul(0.5);
        return reduction.reduce(terms);
    }

    /**
     * KL(N(mu1, e^logvar1) || N(mu2, e^logvar2)) per element:
     * {@code (logvar2 - logvar1 + (e^logvar1 + (mu1 - mu2)^2) / e^logvar2 - 1) / 2}.
     *
     * @param mu1 the means of the first Gaussian
     * @param logvar1 the log-variances of the first Gaussian
     * @param mu2 the means of the second Gaussian
     * @param logvar2 the log-variances of the second Gaussian
     * @param reduction how the elementwise terms are reduced
     * @return the KL divergence, reduced as asked
     */
    public static Variable gaussianKl(Variable mu1, Variable logvar1, Variable mu2, Variable logvar2,
                                      Reduction reduction) {
        Variable spread = logvar1.exp().add(mu1.sub(mu2).square()).mul(logvar2.neg().exp());
        Variable terms = logvar2.sub(logvar1).add(spread).sub(1.0).mul(0.5);
        return reduction.reduce(terms);
    }

    /**
     * Negative log-likelihood of {@code x} under N(mu, e^logvar) per element, with the constant:
     * {@code (log 2 pi + logvar + (x - mu)^2 e^-logvar) / 2}. (PyTorch's GaussianNLLLoss takes the
     * variance and drops the constant unless {@code full=True}.)
     *
     * @param x the observations
     * @param mu the means
     * @param logvar the log-variances
     * @param reduction how the elementwise terms are reduced
     * @return the negative log-likelihood, reduced as asked
     */
    public static Variable gaussianNll(Variable x, Variable mu, Variable logvar, Reduction reduction) {
        Variable terms = logvar.add(x.sub(mu).square().mul(logvar.neg().exp())).add(LOG_2PI).mul(0.5);
        return reduction.reduce(terms);
    }

    /**
     * Softmax cross-entropy of [n, classes] logits against integer labels, {@code -log softmax(x)[label]}
     * per example (PyTorch's {@code cross_entropy}); {@link Reduction#NONE} gives [n].
     *
     * @param logits the logits [n, classes]
     * @param labels one class label per row, in [0, classes)
     * @param reduction how the elementwise terms are reduced
     * @return the loss, reduced as asked ([n] with NONE)
     * @throws IllegalArgumentException when a label is out of range or the counts differ
     */
    public static Variable crossEntropy(Variable logits, int[] labels, Reduction reduction) {
        if (logits.shape().rank() != 2 || logits.shape().dim(0) != labels.length) {
            throw new org.autodiff4j.tensor.ShapeException("crossEntropy: logits of shape " + logits.shape()
                    + " for " + labels.length + " labels: expected [" + labels.length + ", classes]");
        }
        Variable targets = Variable.constant(org.autodiff4j.tensor.Tensor.oneHot(labels, logits.shape().dim(1),
                logits.dtype()));
        Variable perExample = logits.logSoftmax(1).mul(targets).sum(1, false).neg();
        return reduction.reduce(perExample);
    }

    /**
     * Squared error {@code (a - b)^2} per element.
     *
     * @param a the predictions
     * @param b the targets
     * @param reduction how the elementwise terms are reduced
     * @return the squared error, reduced as asked
     */
    public static Variable mse(Variable a, Variable b, Reduction reduction) {
        return reduction.reduce(a.sub(b).square());
    }
}
