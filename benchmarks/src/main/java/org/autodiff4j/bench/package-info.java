/**
 * JMH benchmarks of matrix products, elementwise ops and full training steps, and the peer run that the
 * side-by-side comparison with PyTorch times.
 */
package org.autodiff4j.bench;
