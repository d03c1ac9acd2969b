/**
 * Losses over variables: binary cross-entropy (on probabilities and on logits), Gaussian KL divergence and
 * negative log-likelihood, squared error and softmax cross-entropy, each with a
 * {@link org.autodiff4j.autograd.loss.Reduction}.
 */
package org.autodiff4j.autograd.loss;
