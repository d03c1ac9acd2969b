package org.autodiff4j.tensor;

/**
 * Per-channel kernels over [N, C, ...] tensors (axis 1 the channel, every other axis reduced or broadcast), each one
 * pass without materialising a broadcast: what batch normalisation and a convolution's bias need. Sums accumulate in
 * double. On float32 tensors the elementwise passes compute in float32 with per-channel coefficients rounded to float
 * and a fused multiply-add, as PyTorch's CPU batch norm does ({@code x * alpha + beta}), so that they vectorise;
 * float64 tensors run in double through the generic accessors (they serve gradient checks). Results have x's dtype.
 */
public final class Channels {
    /** Elements per thread below which a loop stays on the calling thread. */
    static final int GRAIN = 1 << 15;

    private Channels() {
    }

    /**
     * Mean and biased variance of each channel, {@code mean[c] = sum x[n, c, ...] / M} and
     * {@code var[c] = sum (x - mean[c])^2 / M} with M = N times the trailing sizes. One pass over x, in double, of
     * the sums of {@code x - K[c]} and of its squares, K[c] the channel's first value: shifted by a value of the
     * data, the variance {@code (Q - S^2 / M) / M} keeps its accuracy however large the mean is next to the spread.
     *
     * @param x [N, C, ...], rank at least 2
     * @return {mean [C], var [C]}
     * @throws ShapeException when x has rank below 2
     */
    public static Tensor[] moments(Tensor x) {
        Dims d = dims("moments", x);
        double[] shift = new double[d.c];
        for (int c = 0; c < d.c; c++) {
            shift[c] = x.storage.get(d.offset(0, c));
        }
        double[][] sq = shiftedSums(d, x.storage, shift);
        double m = d.n * (double) d.l;
        double[] mean = new double[d.c];
        double[] var = new double[d.c];
        for (int c = 0; c < d.c; c++) {
            mean[c] = shift[c] + sq[0][c] / m;
            var[c] = Math.max(0, (sq[1][c] - sq[0][c] * sq[0][c] / m) / m);
        }
        return new Tensor[] {Tensor.of(x.dtype(), mean, d.c), Tensor.of(x.dtype(), var, d.c)};
    }

    /**
     * {@code y[n, c, ...] = x[n, c, ...] * scale[c] + shift[c]}.
     *
     * @param x [N, C, ...]
     * @param scale [C], or null for 1
     * @param shift [C], or null for 0
     * @return y, of x's shape and dtype
     * @throws ShapeException when scale or shift is not [C]
     */
    public static Tensor affine(Tensor x, Tensor scale, Tensor shift) {
        return affine("affine", x, scale, shift, Tensor.zeros(x.shape(), x.dtype()));
    }

    /**
     * {@code x[n, c, ...] = x[n, c, ...] * scale[c] + shift[c]}, in place (as {@link Tensor}'s {@code *i} methods:
     * the storage's version counter moves on).
     *
     * @param x [N, C, ...], overwritten
     * @param scale [C], or null for 1
     * @param shift [C], or null for 0
     * @return x
     * @throws ShapeException when scale or shift is not [C]
     */
    public static Tensor affinei(Tensor x, Tensor scale, Tensor shift) {
        affine("affinei", x, scale, shift, x);
        x.storage.bumpVersion();
        return x;
    }

    /** y = x * scale + shift per channel; y may be x. */
    private static Tensor affine(String op, Tensor x, Tensor scale, Tensor shift, Tensor y) {
        Dims d = dims(op, x);
        double[] a = perChannel(op, scale, d, 1);
        double[] b = perChannel(op, shift, d, 0);
        Storage xs = x.storage;
        Storage ys = y.storage;
        if (xs instanceof F32Storage xf) {
            float[] xa = xf.data;
            float[] ya = ((F32Storage) ys).data;
            float[] af = floats(a);
            float[] bf = floats(b);
            // one rounding per element: batch norm's shift is -mean / std, which cancels x / std
            forRows(d, (row, c, from, to) -> {
                if (c < 0) {            // a whole [C] row of a rank-2 input
                    for (int k = 0; k < d.c; k++) {
                        ya[from + k] = Math.fma(xa[from + k], af[k], bf[k]);
                    }
                    return;
                }
                float p = af[c];
                float q = bf[c];
                for (int j = from; j < to; j++) {
                    ya[j] = Math.fma(xa[j], p, q);
                }
            });
        } else {
            for (int j = 0; j < xs.length(); j++) {
                int c = (j / d.l) % d.c;
                ys.set(j, xs.get(j) * a[c] + b[c]);
            }
        }
        return y;
    }

    /**
     * Per-channel sums of a, or of a times b: {@code s[c] = sum a[n, c, ...] (* b[n, c, ...])}.
     *
     * @param a [N, C, ...]
     * @param b a's shape, or null
     * @return [C], a's dtype
     * @throws ShapeException when b's shape is not a's
     */
    public static Tensor sums(Tensor a, Tensor b) {
        Dims d = dims("sums", a);
        if (b != null && !b.shape().equals(a.shape())) {
            throw new ShapeException("sums: " + a.shape() + " and " + b.shape() + " differ");
        }
        double[] s = channelSums(d, a.storage, b == null ? null : b.storage);
        return Tensor.of(a.dtype(), s, d.c);
    }

    /**
     * Per-channel sums of a or of a times b, going through memory in order: the batch is split over threads, each
     * summing into its own per-channel array, then the arrays are added.
     */
    private static double[] channelSums(Dims d, Storage a, Storage b) {
        double[][][] partial = perPart(d, (n0, n1, acc) -> {
            if (d.l == 1 && a instanceof F32Storage af && (b == null || b instanceof F32Storage)) {
                columnSums(af.data, b == null ? null : ((F32Storage) b).data, n0, n1, acc[0]);
                return;
            }
            for (int n = n0; n < n1; n++) {
                for (int c = 0; c < d.c; c++) {
                    acc[0][c] += rowSum(a, d.offset(n, c), d.l, b);
                }
            }
        }, 1);
        return partial[0][0];
    }

    /**
     * Per-channel sums of {@code x - shift[c]} and of its squares, {S, Q}, in one pass.
     * NOTE: moments took two passes (the sums, then the squares about the mean): [64, 64, 14, 14] on one thread
     * 0.49 -> 0.40 ms, on two 0.35 -> 0.27 ms (best of 5 x 200)
     */
    private static double[][] shiftedSums(Dims d, Storage a, double[] shift) {
        return perPart(d, (n0, n1, acc) -> {
            if (d.l == 1 && a instanceof F32Storage af) {      // [N, C]: along the rows, in memory order
                float[] x = af.data;
                for (int n = n0; n < n1; n++) {
                    int off = n * d.c;
                    for (int c = 0; c < d.c; c++) {
                        double v = x[off + c] - shift[c];
                        acc[0][c] += v;
                        acc[1][c] += v * v;
                    }
                }
                return;
            }
            double[] two = new double[2];
            for (int n = n0; n < n1; n++) {
                for (int c = 0; c < d.c; c++) {
                    rowShifted(a, d.offset(n, c), d.l, shift[c], two);
                    acc[0][c] += two[0];
                    acc[1][c] += two[1];
                }
            }
        }, 2)[0];
    }

    /** What one part of the batch adds into its k per-channel arrays. */
    @FunctionalInterface
    private interface Part {
        void run(int n0, int n1, double[][] acc);
    }

    /**
     * Runs the parts of the batch over threads, each into its own k arrays of C sums, and adds the parts' arrays
     * into the first part's: the result is {@code [0][k][C]}.
     */
    private static double[][][] perPart(Dims d, Part part, int k) {
        int parts = Math.max(1, Math.min(Parallelism.threads(), (int) ((long) d.n * d.c * d.l / GRAIN)));
        parts = Math.min(parts, Math.max(1, d.n));
        double[][][] partial = new double[parts][k][d.c];
        int count = parts;
        Parallelism.forRange(count, 1, (from, to) -> {
            for (int p = from; p < to; p++) {
                part.run((int) ((long) d.n * p / count), (int) ((long) d.n * (p + 1) / count), partial[p]);
            }
        });
        for (int p = 1; p < parts; p++) {
            for (int i = 0; i < k; i++) {
                for (int c = 0; c < d.c; c++) {
                    partial[0][i][c] += partial[p][i][c];
                }
            }
        }
        return partial;
    }

    /** The sums of an [N, C] float32 input's rows n0 to n1 into acc[C]: of a or of a times b, along memory. */
    private static void columnSums(float[] x, float[] y, int n0, int n1, double[] acc) {
        int c = acc.length;
        for (int n = n0; n < n1; n++) {
            int off = n * c;
            if (y == null) {
                for (int k = 0; k < c; k++) {
                    acc[k] += x[off + k];
                }
            } else {
                for (int k = 0; k < c; k++) {
                    acc[k] += x[off + k] * (double) y[off + k];
                }
            }
        }
    }

    // NOTE: eight accumulators, as F32Storage.sum
    static double rowSum(Storage a, int off, int l, Storage b) {
        if (a instanceof F32Storage af && b == null) {
            return F32Storage.sum(af.data, off, off + l);
        }
        if (a instanceof F32Storage af && b instanceof F32Storage bf) {
            float[] x = af.data;
            float[] y = bf.data;
            // eight accumulators, as F32Storage.sum
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            double s4 = 0;
            double s5 = 0;
            double s6 = 0;
            double s7 = 0;
            int j = off;
            int end = off + l;
            for (; j + 7 < end; j += 8) {
                s0 += x[j] * (double) y[j];
                s1 += x[j + 1] * (double) y[j + 1];
                s2 += x[j + 2] * (double) y[j + 2];
                s3 += x[j + 3] * (double) y[j + 3];
                s4 += x[j + 4] * (double) y[j + 4];
                s5 += x[j + 5] * (double) y[j + 5];
                s6 += x[j + 6] * (double) y[j + 6];
                s7 += x[j + 7] * (double) y[j + 7];
            }
            for (; j < end; j++) {
                s0 += x[j] * (double) y[j];
            }
            return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        }
        double s = 0;
        for (int j = off; j < off + l; j++) {
            s += b == null ? a.get(j) : a.get(j) * b.get(j);
        }
        return s;
    }

    /** Into out: the sum of {@code a[j] - k} over the row and the sum of its squares. */
    static void rowShifted(Storage a, int off, int l, double k, double[] out) {
        if (a instanceof F32Storage af) {
            float[] x = af.data;
            // four accumulators of each, so that the double additions do not wait on each other
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            double q0 = 0;
            double q1 = 0;
            double q2 = 0;
            double q3 = 0;
            int j = off;
            int end = off + l;
            for (; j + 3 < end; j += 4) {
                double v0 = x[j] - k;
                double v1 = x[j + 1] - k;
                double v2 = x[j + 2] - k;
                double v3 = x[j + 3] - k;
                s0 += v0;
                s1 += v1;
                s2 += v2;
                s3 += v3;
                q0 += v0 * v0;
                q1 += v1 * v1;
                q2 += v2 * v2;
                q3 += v3 * v3;
            }
            for (; j < end; j++) {
                double v = x[j] - k;
                s0 += v;
                q0 += v * v;
            }
            out[0] = (s0 + s1) + (s2 + s3);
            out[1] = (q0 + q1) + (q2 + q3);
            return;
        }
        double s = 0;
        double q = 0;
        for (int j = off; j < off + l; j++) {
            double v = a.get(j) - k;
            s += v;
            q += v * v;
        }
        out[0] = s;
        out[1] = q;
    }

    /** The body of {@link #forRows}: one channel's row [from, to) of channel c, or (c = -1) one [C] row. */
    @FunctionalInterface
    interface Row {
        void run(int row, int c, int from, int to);
    }

    /**
     * Runs body over x's rows split over threads: the N C rows of L values, or, when L is 1 (an [N, C] input), the N
     * rows of C values with c = -1, so that the loop runs along memory.
     */
    static void forRows(Dims d, Row body) {
        if (d.l == 1) {
            Parallelism.forRange(d.n, grain(d.c), (from, to) -> {
                for (int n = from; n < to; n++) {
                    body.run(n, -1, n * d.c, (n + 1) * d.c);
                }
            });
            return;
        }
        Parallelism.forRange(d.n * d.c, grain(d.l), (from, to) -> {
            for (int row = from; row < to; row++) {
                body.run(row, row % d.c, row * d.l, (row + 1) * d.l);
            }
        });
    }

    static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /** Items per parallel task: about {@link #GRAIN} values, {@code perItem} values an item. */
    static int grain(int perItem) {
        return Math.max(1, GRAIN / Math.max(1, perItem));
    }

    static double[] perChannel(String op, Tensor t, Dims d, double absent) {
        double[] out = new double[d.c];
        if (t == null) {
            java.util.Arrays.fill(out, absent);
            return out;
        }
        if (t.shape().rank() != 1 || t.shape().dim(0) != d.c) {
            throw new ShapeException(op + ": per-channel operand " + t.shape() + " does not fit " + d.c + " channels");
        }
        for (int c = 0; c < d.c; c++) {
            out[c] = t.storage.get(c);
        }
        return out;
    }

    static Dims dims(String op, Tensor x) {
        Shape s = x.shape();
        if (s.rank() < 2) {
            throw new ShapeException(op + ": input " + s + " must be [N, C, ...]");
        }
        int n = s.dim(0);
        int c = s.dim(1);
        return new Dims(n, c, n * c == 0 ? 0 : s.size() / (n * c));
    }

    /** N, C and the product of the trailing sizes. */
    record Dims(int n, int c, int l) {
        int offset(int batch, int channel) {
            return (batch * c + channel) * l;
        }
    }
}
