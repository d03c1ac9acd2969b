package org.autodiff4j.tensor;

import java.util.Optional;

/**
 * A rank-2 tensor of zeros and ones kept as the positions of its ones, row by row (compressed sparse
 * rows), for the two products of a linear layer whose input is binary: {@code x W^T + b} and the weight
 * gradient {@code G^T x}. Each is a sum of rows of W (or of G) picked by the ones, so it costs the number
 * of ones times the output width, where gemm costs every entry of x.
 *
 * <p>Results equal the dense products' up to the order of the additions: in float64 they are the same
 * whenever the sums are exact (as for integers and dyadic fractions), and in float32 they differ from the
 * BLAS's in the last bits because gemm adds in blocks (and with fused multiply-adds) where these kernels
 * add one one at a time, in column order.
 */
public final class BinaryRows {
    /**
     * The density at or under which {@link #whenSparse} takes the sparse kernels, unless the system
     * property {@code autodiff4j.sparse.maxDensity} says otherwise (0 turns them off).
     */
    public static final double DEFAULT_MAX_DENSITY = 0.05;

    private static final double MAX_DENSITY = initialMaxDensity();

    private final int rows;
    private final int cols;
    private final DType dtype;
    /** Row {@code i}'s ones are at columns {@code index[start[i]] .. index[start[i + 1] - 1]}, increasing. */
    private final int[] start;
    private final int[] index;

    private BinaryRows(int rows, int cols, DType dtype, int[] start, int[] index) {
        this.rows = rows;
        this.cols = cols;
        this.dtype = dtype;
        this.start = start;
        this.index = index;
    }

    private static double initialMaxDensity() {
        String value = System.getProperty("autodiff4j.sparse.maxDensity");
        if (value == null) {
            return DEFAULT_MAX_DENSITY;
        }
        try {
            double d = Double.parseDouble(value.trim());
            if (d >= 0 && d <= 1) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("-Dautodiff4j.sparse.maxDensity=" + value + ": expected a number from 0 to 1");
    }

    /**
     * The density at or under which {@link #whenSparse} takes the sparse kernels: {@link #DEFAULT_MAX_DENSITY},
     * or the system property {@code autodiff4j.sparse.maxDensity}.
     *
     * @return the largest fraction of ones for which the sparse kernels are used
     */
    public static double maxDensity() {
        return MAX_DENSITY;
    }

    /**
     * The ones of {@code x} when it is a rank-2 tensor of zeros and ones with at most {@code maxDensity}
     * of its entries one; empty otherwise. The scan stops at the first entry that is neither 0 nor 1, or
     * at the first one past the limit.
     *
     * @param x the tensor to look at
     * @param maxDensity the largest fraction of ones accepted, from 0 to 1
     * @return the positions of the ones, or empty when x is not binary or denser than {@code maxDensity}
     * @throws IllegalArgumentException when {@code maxDensity} is outside [0, 1]
     */
    public static Optional<BinaryRows> of(Tensor x, double maxDensity) {
        if (!(maxDensity >= 0 && maxDensity <= 1)) {
            throw new IllegalArgumentException("BinaryRows.of: maxDensity must be from 0 to 1, got " + maxDensity);
        }
        if (x.rank() != 2 || maxDensity == 0) {
            return Optional.empty();
        }
        int m = x.shape().dim(0);
        int k = x.shape().dim(1);
        int maxOnes = (int) Math.min((long) m * k, (long) Math.floor(maxDensity * m * k));
        // NOTE: a count of the non-zeros first, row by row, turns a batch with too many ones away after a few
        // rows at a fraction of the cost of the pass that records the ones and checks that they are ones,
        // which then fills an index of the right length (SparseBenchmark.scan).
        int ones = x.storage instanceof F32Storage f ? nonZeros(f.data, m, k, maxOnes)
                : nonZeros(((F64Storage) x.storage).data, m, k, maxOnes);
        if (ones < 0) {
            return Optional.empty();
        }
        int[] start = new int[m + 1];
        int[] index = new int[ones];
        boolean binary = x.storage instanceof F32Storage f
                ? scan(f.data, m, k, start, index)
                : scan(((F64Storage) x.storage).data, m, k, start, index);
        return binary ? Optional.of(new BinaryRows(m, k, x.dtype(), start, index)) : Optional.empty();
    }

    /**
     * {@link #of} with the library's threshold, {@link #maxDensity()}: the ones of {@code x} when the
     * sparse kernels are expected to beat gemm on it.
     *
     * @param x the tensor to look at
     * @return the positions of the ones, or empty when x is not binary or too dense to gain
     */
    public static Optional<BinaryRows> whenSparse(Tensor x) {
        return of(x, MAX_DENSITY);
    }

    /**
     * The number of entries whose bits are not all zero (the non-zeros and -0), or -1 as soon as it passes
     * {@code maxOnes} at the end of a row. NOTE: counted from the bits, without a branch: 0.5 ns an entry,
     * where {@code v != 0 ? 1 : 0} compiled to a branch costs 1-1.5 ns at MNIST's density.
     */
    private static int nonZeros(float[] data, int m, int k, int maxOnes) {
        int n = 0;
        for (int i = 0; i < m && n <= maxOnes; i++) {
            int base = i * k;
            for (int c = 0; c < k; c++) {
                int bits = Float.floatToRawIntBits(data[base + c]);
                n += (bits | -bits) >>> 31;
            }
        }
        return n <= maxOnes ? n : -1;
    }

    private static int nonZeros(double[] data, int m, int k, int maxOnes) {
        int n = 0;
        for (int i = 0; i < m && n <= maxOnes; i++) {
            int base = i * k;
            for (int c = 0; c < k; c++) {
                long bits = Double.doubleToRawLongBits(data[base + c]);
                n += (int) ((bits | -bits) >>> 63);
            }
        }
        return n <= maxOnes ? n : -1;
    }

    /** Records the columns of the non-zeros row by row into {@code index}; whether every non-zero is a one. */
    private static boolean scan(float[] data, int m, int k, int[] start, int[] index) {
        int n = 0;
        boolean other = false;
        for (int i = 0; i < m; i++) {
            int base = i * k;
            for (int c = 0; c < k; c++) {
                float v = data[base + c];
                if (v != 0f) {
                    other |= v != 1f;
                    index[n++] = c;
                }
            }
            start[i + 1] = n;
        }
        return !other;
    }

    private static boolean scan(double[] data, int m, int k, int[] start, int[] index) {
        int n = 0;
        boolean other = false;
        for (int i = 0; i < m; i++) {
            int base = i * k;
            for (int c = 0; c < k; c++) {
                double v = data[base + c];
                if (v != 0) {
                    other |= v != 1;
                    index[n++] = c;
                }
            }
            start[i + 1] = n;
        }
        return !other;
    }

    /**
     * The shape of the tensor these are the ones of.
     *
     * @return [rows, columns]
     */
    public Shape shape() {
        return Shape.of(rows, cols);
    }

    /**
     * The fraction of entries that are one.
     *
     * @return ones divided by rows times columns
     */
    public double density() {
        return rows == 0 || cols == 0 ? 0 : start[rows] / ((double) rows * cols);
    }

    /**
     * {@code x weight^T + bias} for this x [m, k], weight [n, k] and bias [n], as {@link Tensor#linear}:
     * row i is the bias plus the columns of the weight at row i's ones, in the widest dtype.
     *
     * @param weight the weight [n, k]
     * @param bias the bias [n]
     * @return the [m, n] product plus the bias
     * @throws ShapeException naming the three shapes when they do not fit
     */
    public Tensor linear(Tensor weight, Tensor bias) {
        if (weight.rank() != 2 || bias.rank() != 1 || weight.shape().dim(1) != cols
                || bias.shape().dim(0) != weight.shape().dim(0)) {
            throw new ShapeException("linear: input " + shape() + ", weight " + weight.shape() + ", bias "
                    + bias.shape() + ": expected [m, k], [n, k] and [n]");
        }
        int n = weight.shape().dim(0);
        DType dt = DType.promote(DType.promote(dtype, weight.dtype()), bias.dtype());
        Storage out = Storage.zeros(dt, rows * n);
        if (dt == DType.FLOAT32) {
            SparseKernels.linear(start, index, rows, cols, ((F32Storage) weight.storage).data,
                    ((F32Storage) bias.storage).data, n, ((F32Storage) out).data);
        } else {
            SparseKernels.linear(start, index, rows, cols, ((F64Storage) weight.storage.to(dt)).data,
                    ((F64Storage) bias.storage.to(dt)).data, n, ((F64Storage) out).data);
        }
        return new Tensor(Shape.of(rows, n), out);
    }

    /**
     * {@code g^T x} for g [m, n] and this x [m, k], as {@code g.matMul(x, true, false)}: the weight gradient
     * of a linear layer, [n, k], whose column c is the sum of the rows of g where x has a one in column c.
     *
     * @param g the gradient of the layer's output [m, n]
     * @return the [n, k] product
     * @throws ShapeException naming both shapes when g does not have this tensor's rows
     */
    public Tensor transposeTimes(Tensor g) {
        if (g.rank() != 2 || g.shape().dim(0) != rows) {
            throw new ShapeException("matMul: " + g.shape() + "^T x " + shape() + ": inner dimensions "
                    + (g.rank() == 2 ? g.shape().dim(0) : "?") + " and " + rows + " differ");
        }
        int n = g.shape().dim(1);
        DType dt = DType.promote(dtype, g.dtype());
        Storage out = Storage.zeros(dt, n * cols);
        if (dt == DType.FLOAT32) {
            SparseKernels.transposeTimes(start, index, rows, cols, ((F32Storage) g.storage).data, n,
                    ((F32Storage) out).data);
        } else {
            SparseKernels.transposeTimes(start, index, rows, cols, ((F64Storage) g.storage.to(dt)).data, n,
                    ((F64Storage) out).data);
        }
        return new Tensor(Shape.of(n, cols), out);
    }
}
