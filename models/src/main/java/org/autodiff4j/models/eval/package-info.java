/**
 * Evaluation helpers: the digit classifier that judges generated MNIST samples.
 */
package org.autodiff4j.models.eval;
