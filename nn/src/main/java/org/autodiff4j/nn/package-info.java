/**
 * Neural-network modules with named parameters ({@link org.autodiff4j.nn.Module}, {@link org.autodiff4j.nn.Linear},
 * activations, {@link org.autodiff4j.nn.Sequential}) and safetensors checkpoints written atomically.
 */
package org.autodiff4j.nn;
