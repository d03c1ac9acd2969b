package org.autodiff4j.models.data;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/**
 * Mini-batches over the rows of a tensor: shuffled per epoch by a seeded generator (or in order),
 * with the last partial batch kept (or dropped when asked), like PyTorch's DataLoader.
 */
public final class Batches {
    private final Tensor data;
    private final int batchSize;
    private final boolean dropLast;

    /**
     * Batches of {@code batchSize} rows.
     *
     * @param data the examples as rows
     * @param batchSize examples per batch
     * @param dropLast whether a smaller last batch is left out
     * @throws IllegalArgumentException when the batch size is not positive, or when dropping the last
     *                                  partial batch would leave no batch at all
     */
    public Batches(Tensor data, int batchSize, boolean dropLast) {
        int n = data.shape().dim(0);
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        if (n == 0 || (dropLast && n < batchSize)) {
            throw new IllegalArgumentException("a data set of " + n + " examples has no full batch of " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.dropLast = dropLast;
    }

    /**
     * Number of batches per epoch.
     *
     * @return number of batches per epoch
     */
    public int count() {
        int n = data.shape().dim(0);
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /**
     * One epoch's batches in a random order drawn from {@code g} (all drawn now), or in order when {@code g}
     * is null. The list is lazy: each batch's rows are copied when it is read, so an epoch holds one batch
     * at a time rather than a shuffled copy of the whole data set.
     *
     * @param g the generator to draw from
     * @return one epoch's batches in a random order drawn from {@code g} (all drawn now), or in order when {@code g} is null
     */
    public List<Tensor> epoch(Generator g) {
        int n = data.shape().dim(0);
        int[] order = g == null ? null : g.permutation(n);
        int count = count();
        return new AbstractList<>() {
            @Override
            public Tensor get(int b) {
                Objects.checkIndex(b, count);
                int from = b * batchSize;
                int to = Math.min(n, from + batchSize);
                return order == null ? data.sliceRows(from, to) : data.indexRows(Arrays.copyOfRange(order, from, to));
            }

            @Override
            public int size() {
                return count;
            }
        };
    }
}
