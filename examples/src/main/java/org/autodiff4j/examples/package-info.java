/**
 * The command line: one picocli command per example (train-vae, train-gan, sample, evaluate, gan-mixture, sweep, info).
 */
package org.autodiff4j.examples;
