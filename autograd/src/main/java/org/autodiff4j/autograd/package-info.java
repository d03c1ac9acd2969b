/**
 * Reverse-mode automatic differentiation: {@link org.autodiff4j.autograd.Variable} records the ops applied to
 * it, {@code backward()} walks them in reverse topological order and accumulates gradients into the leaves.
 * {@link org.autodiff4j.autograd.NoGrad} and {@link org.autodiff4j.autograd.Anomaly} are thread-local scopes;
 * {@link org.autodiff4j.autograd.GradCheck} compares analytic gradients with finite differences in float64.
 */
package org.autodiff4j.autograd;
