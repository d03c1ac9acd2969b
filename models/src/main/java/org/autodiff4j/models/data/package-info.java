/**
 * Data sets and their files: IDX and {@code .amat} readers, {@link org.autodiff4j.models.data.Datasets} (the
 * search for MNIST-family files and their verified download) and mini-batches.
 */
package org.autodiff4j.models.data;
