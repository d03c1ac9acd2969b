package org.autodiff4j.models.data;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.autodiff4j.tensor.Generator;

/**
 * Mini-batches of a {@link TensorDataset}, like PyTorch's {@code DataLoader}: a batch size, an optional
 * shuffle drawn from a {@link Generator} each epoch, and whether a smaller last batch is dropped. An epoch's
 * batches are cut lazily (only the permutation is drawn up front), so an epoch never holds a copy of the
 * data set.
 */
public final class DataLoader {
    private final TensorDataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;

    /** The order an epoch visits the examples in. */
    public enum Order {
        /** A new random order each epoch, from the generator the epoch is drawn with (PyTorch's shuffle=True). */
        SHUFFLED,
        /** The data set's order (shuffle=False). */
        SEQUENTIAL
    }

    /** What happens to a last batch smaller than the batch size. */
    public enum LastBatch {
        /** It is kept (drop_last=False). */
        KEEP,
        /** It is left out (drop_last=True). */
        DROP
    }

    /**
     * A loader over {@code data}, with its options named: {@code new DataLoader(data, 64, Order.SHUFFLED,
     * LastBatch.KEEP)} is PyTorch's {@code DataLoader(data, batch_size=64, shuffle=True)}.
     *
     * @param data      the examples
     * @param batchSize examples per batch
     * @param order     shuffled each epoch or sequential
     * @param last      keep or drop a smaller last batch
     * @throws IllegalArgumentException when the batch size is not positive or the data has no batch at all
     */
    public DataLoader(TensorDataset data, int batchSize, Order order, LastBatch last) {
        this(data, batchSize, order == Order.SHUFFLED, last == LastBatch.DROP);
    }

    /**
     * A loader over {@code data}; the named form {@link #DataLoader(TensorDataset, int, Order, LastBatch)} reads
     * better.
     *
     * @param data      the examples
     * @param batchSize examples per batch
     * @param shuffle   whether each epoch visits the examples in a new random order
     * @param dropLast  whether a smaller last batch is left out
     * @throws IllegalArgumentException when the batch size is not positive or the data has no batch at all
     */
    public DataLoader(TensorDataset data, int batchSize, boolean shuffle, boolean dropLast) {
        int n = data.size();
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        if (n == 0 || (dropLast && n < batchSize)) {
            throw new IllegalArgumentException("a data set of " + n + " examples has no full batch of " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
    }

    /**
     * The examples this loader batches.
     *
     * @return the data set
     */
    public TensorDataset data() {
        return data;
    }

    /**
     * The batch size.
     *
     * @return examples per batch (the last batch may hold fewer unless dropped)
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * The number of batches in an epoch.
     *
     * @return batches per epoch
     */
    public int batchesPerEpoch() {
        int n = data.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /**
     * One epoch's batches. With shuffling, the order is a permutation drawn from {@code g} now (so the
     * generator's position after this call is the same however many batches are then used).
     *
     * @param g the generator to shuffle with (unused, and may be null, without shuffling)
     * @return the epoch's batches, cut when each is asked for
     */
    public List<Batch> epoch(Generator g) {
        int n = data.size();
        int[] order = shuffle ? g.permutation(n) : null;
        int count = batchesPerEpoch();
        return new AbstractList<>() {
            @Override
            public Batch get(int b) {
                Objects.checkIndex(b, count);
                int from = b * batchSize;
                int to = Math.min(n, from + batchSize);
                return order == null ? data.slice(from, to) : data.rows(Arrays.copyOfRange(order, from, to));
            }

            @Override
            public int size() {
                return count;
            }
        };
    }
}
