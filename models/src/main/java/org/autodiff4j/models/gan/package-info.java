/**
 * Generative adversarial networks (Goodfellow et al. 2014): the generator and discriminator, minimax and
 * non-saturating losses, the k-step trainer with its resumable loop, and the 2-D mixture-of-Gaussians
 * benchmark of mode collapse.
 */
package org.autodiff4j.models.gan;
