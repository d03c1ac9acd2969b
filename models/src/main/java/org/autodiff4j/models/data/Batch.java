package org.autodiff4j.models.data;

import org.autodiff4j.tensor.Tensor;

/**
 * One mini-batch: examples as rows and, when the data set has them, their labels and target rows.
 *
 * @param x      the examples, one per row
 * @param labels one label per row, or null
 * @param y      the targets, one row per example, or null
 */
public record Batch(Tensor x, int[] labels, Tensor y) {

    /**
     * A batch of examples and their labels (or null), without targets.
     *
     * @param x      the examples, one per row
     * @param labels one label per row, or null
     */
    public Batch(Tensor x, int[] labels) {
        this(x, labels, null);
    }

    /**
     * The number of examples.
     *
     * @return the number of rows of {@code x}
     */
    public int size() {
        return x.shape().dim(0);
    }
}
