/**
 * Dense row-major tensors in float32 or float64 with NumPy broadcasting, seeded random numbers, and matrix
 * products on the best BLAS that loads ({@link org.autodiff4j.tensor.Blas}: the system BLAS, jblas or pure Java).
 */
package org.autodiff4j.tensor;
