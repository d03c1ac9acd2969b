package org.autodiff4j.models.data;

import java.util.Arrays;

import org.autodiff4j.tensor.Tensor;

/**
 * Examples as the rows of a tensor, with an optional integer label per row and optional targets of any dtype and
 * shape (one row of {@code y} per example): PyTorch's {@code TensorDataset}. {@code new TensorDataset(x, labels)}
 * for class labels, {@code TensorDataset.of(x, y)} for regression targets.
 *
 * @param x      the examples, one per row of a tensor of rank at least 1
 * @param labels one label per example, or null
 * @param y      targets, one row per example (any dtype and shape [n, ...]), or null
 */
public record TensorDataset(Tensor x, int[] labels, Tensor y) {

    /**
     * Checks that there is one label and one target row per example.
     *
     * @param x      the examples, one per row of a tensor of rank at least 1
     * @param labels one label per example, or null
     * @param y      targets, one row per example, or null
     * @throws IllegalArgumentException when {@code x} or {@code y} is a scalar or the counts differ
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
        if (y != null && (y.rank() == 0 || y.shape().dim(0) != x.shape().dim(0))) {
            throw new IllegalArgumentException("TensorDataset: targets " + y.shape() + " for examples " + x.shape()
                    + ": need one row of targets per example");
        }
    }

    /**
     * Examples with class labels.
     *
     * @param x      the examples, one per row
     * @param labels one label per example, or null for unlabelled data
     */
    public TensorDataset(Tensor x, int[] labels) {
        this(x, labels, null);
    }

    /**
     * Examples with targets of any dtype and shape, as PyTorch's {@code TensorDataset(x, y)}.
     *
     * @param x the examples, one per row
     * @param y the targets, one row per example
     * @return the data set
     */
    public static TensorDataset of(Tensor x, Tensor y) {
        return new TensorDataset(x, null, y);
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
     * @return a batch of those rows, their labels and targets
     */
    public Batch rows(int[] rows) {
        int[] l = null;
        if (labels != null) {
            l = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                l[i] = labels[rows[i]];
            }
        }
        return new Batch(x.indexRows(rows), l, y == null ? null : y.indexRows(rows));
    }

    /**
     * The examples {@code from} (inclusive) to {@code to} (exclusive).
     *
     * @param from the first row
     * @param to   the end, exclusive
     * @return a batch of those rows and their labels
     */
    public Batch slice(int from, int to) {
        return new Batch(x.sliceRows(from, to), labels == null ? null : Arrays.copyOfRange(labels, from, to),
                y == null ? null : y.sliceRows(from, to));
    }
}
