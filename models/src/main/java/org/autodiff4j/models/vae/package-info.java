/**
 * The variational auto-encoder (Kingma and Welling 2014): Gaussian encoder, reparameterised sampling,
 * Bernoulli or Gaussian decoder, the ELBO, importance-weighted log-likelihood, and its resumable trainer.
 */
package org.autodiff4j.models.vae;
