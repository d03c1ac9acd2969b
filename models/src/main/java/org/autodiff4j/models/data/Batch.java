package org.autodiff4j.models.data;

/**
 * One mini-batch: examples as rows and, for labelled data, their labels.
 *
 * @param x      the examples, one per row
 * @param labels one label per row, or null for unlabelled data
 */
public record Batch(org.autodiff4j.tensor.Tensor x, int[] labels) {

    /**
     * The number of examples.
     *
     * @return the number of rows of {@code x}
     */
    public int size() {
        return x.shape().dim(0);
    }
}
