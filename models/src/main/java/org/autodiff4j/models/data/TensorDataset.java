package org.autodiff4j.models.data;

import java.util.Arrays;

import org.autodiff4j.tensor.Tensor;

/**
 * Examples as the rows of a tensor, with an optional integer label per row: PyTorch's {@code TensorDataset}
 * for the common case of inputs and class labels.
 *
 * @param x      the examples, one per row of a tensor of rank at least 1
 * @param labels one label per example, or null for unlabelled data
 */
public record TensorDataset(Tensor x, int[] labels) {

    /**
     * Checks that there is one label per example.
     *
     * @param x      the examples, one per row of a tensor of rank at least 1
     * @param labels one label per example, or null for unlabelled data
     * @throws IllegalArgumentException when {@code x} is a scalar or the counts differ
     */
    public TensorDataset {
        if (x.rank() == 0) {
            throw new IllegalArgumentException("TensorDataset: examples must be the rows of a tensor of rank >= 1, got "
                    + x.shape());
        }
        if (labels != null && labels.length != x.shape().dim(0)) {
            throw new IllegalArgumentException("TensorDataset: " + labels.length + " labels for " + x.shape().dim(0)
                    + " examples");
        }
    }

    /**
     * Unlabelled examples.
     *
     * @param x the examples, one per row
     * @return a data set without labels
     */
    public static TensorDataset of(Tensor x) {
        return new TensorDataset(x, null);
    }

    /**
     * The number of examples.
     *
     * @return the number of rows of {@code x}
     */
    public int size() {
        return x.shape().dim(0);
    }

    /**
     * The examples at the given positions, in that order.
     *
     * @param rows row indices into this data set
     * @return a batch of those rows and their labels
     */
    public Batch rows(int[] rows) {
        int[] l = null;
        if (labels != null) {
            l = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                l[i] = labels[rows[i]];
            }
        }
        return new Batch(x.indexRows(rows), l);
    }

    /**
     * The examples {@code from} (inclusive) to {@code to} (exclusive).
     *
     * @param from the first row
     * @param to   the end, exclusive
     * @return a batch of those rows and their labels
     */
    public Batch slice(int from, int to) {
        return new Batch(x.sliceRows(from, to), labels == null ? null : Arrays.copyOfRange(labels, from, to));
    }
}
