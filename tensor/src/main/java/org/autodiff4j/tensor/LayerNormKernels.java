package org.autodiff4j.tensor;

/**
 * The kernels of layer normalisation, x seen as [R, M] rows of M values normalised together (the trailing axes),
 * with an elementwise weight and bias of M values: the rows' moments, the normalised output, and its gradients.
 * Sums accumulate in double; on float32 tensors the elementwise work is in float32 so that it vectorises.
 */
public final class LayerNormKernels {
    private LayerNormKernels() {
    }

    /**
     * The mean and biased variance of each row of x as [R, m], in one pass shifted by the row's first value (as
     * {@link Channels#moments}).
     *
     * @param x the input, of a size divisible by m
     * @param m the row length
     * @return {mean [R], var [R]}, x's dtype
     * @throws ShapeException when m does not divide x's size
     */
    public static Tensor[] moments(Tensor x, int m) {
        int rows = rows("layerNorm moments", x, m);
        double[] mean = new double[rows];
        double[] var = new double[rows];
        Parallelism.forRange(rows, Channels.grain(m), (from, to) -> {
            double[] sq = new double[2];
            for (int r = from; r < to; r++) {
                // one pass, shifted by the row's first value, as batch norm's Channels.moments
                double shift = x.storage.get(r * m);
                Channels.rowShifted(x.storage, r * m, m, shift, sq);
                mean[r] = shift + sq[0] / m;
                var[r] = Math.max(0, (sq[1] - sq[0] * sq[0] / m) / m);
            }
        });
        return new Tensor[] {Tensor.of(x.dtype(), mean, rows), Tensor.of(x.dtype(), var, rows)};
    }

    /**
     * {@code y[r, j] = (x[r, j] - mean[r]) invstd[r] w[j] + b[j]}.
     *
     * @param x the input, [R, m] in row-major order (any shape of that size)
     * @param mean [R]
     * @param invstd {@code 1 / sqrt(var + eps)}, [R]
     * @param w m values, or null for 1
     * @param b m values, or null for 0
     * @return y, x's shape and dtype
     * @throws ShapeException when an operand's size does not fit
     */
    public static Tensor normalize(Tensor x, Tensor mean, Tensor invstd, Tensor w, Tensor b) {
        int rows = mean.size();
        int m = x.size() / Math.max(1, rows);
        check("layerNorm", x, rows, m, invstd, w, b);
        Tensor y = Tensor.zeros(x.shape(), x.dtype());
        double[] mu = mean.toDoubleArray();
        double[] is = invstd.toDoubleArray();
        if (x.storage instanceof F32Storage xf) {
            float[] xa = xf.data;
            float[] ya = ((F32Storage) y.storage).data;
            float[] wa = floats(w, m, 1);
            float[] ba = floats(b, m, 0);
            Parallelism.forRange(rows, Channels.grain(m), (from, to) -> {
                for (int r = from; r < to; r++) {
                    float a = (float) is[r];
                    float c = (float) (-mu[r] * is[r]);
                    int off = r * m;
                    for (int j = 0; j < m; j++) {
                        ya[off + j] = Math.fma(Math.fma(xa[off + j], a, c), wa[j], ba[j]);
                    }
                }
            });
            return y;
        }
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < m; j++) {
                int k = r * m + j;
                double v = (x.storage.get(k) - mu[r]) * is[r];
                y.storage.set(k, v * (w == null ? 1 : w.storage.get(j)) + (b == null ? 0 : b.storage.get(j)));
            }
        }
        return y;
    }

    /**
     * The gradients of {@link #normalize} with respect to x, w and b, with {@code xhat = (x - mean) invstd} and
     * {@code gw = g w}: {@code dx = invstd (gw - mean_j(gw) - xhat mean_j(gw xhat))} per row,
     * {@code dw[j] = sum_r g xhat}, {@code db[j] = sum_r g}.
     *
     * @param g the gradient of y, x's shape
     * @param x the input
     * @param mean [R]
     * @param invstd [R]
     * @param w m values, or null for 1
     * @return {dx (x's shape), dw [m], db [m]}, x's dtype
     * @throws ShapeException when an operand's size does not fit
     */
    public static Tensor[] backward(Tensor g, Tensor x, Tensor mean, Tensor invstd, Tensor w) {
        int rows = mean.size();
        int m = x.size() / Math.max(1, rows);
        check("layerNorm backward", x, rows, m, invstd, w, null);
        if (!g.shape().equals(x.shape())) {
            throw new ShapeException("layerNorm backward: gradient " + g.shape() + " and input " + x.shape() + " differ");
        }
        double[] mu = mean.toDoubleArray();
        double[] is = invstd.toDoubleArray();
        Tensor dx = Tensor.zeros(x.shape(), x.dtype());
        int parts = Math.max(1, Math.min(Math.min(Parallelism.threads(), rows), x.size() / Channels.GRAIN));
        double[][] dw = new double[parts][m];
        double[][] db = new double[parts][m];
        Parallelism.forRange(parts, 1, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int from = (int) ((long) rows * p / parts);
                int to = (int) ((long) rows * (p + 1) / parts);
                rowsBackward(g.storage, x.storage, dx.storage, w, mu, is, m, from, to, dw[p], db[p]);
            }
        });
        for (int p = 1; p < parts; p++) {
            for (int j = 0; j < m; j++) {
                dw[0][j] += dw[p][j];
                db[0][j] += db[p][j];
            }
        }
        return new Tensor[] {dx, Tensor.of(x.dtype(), dw[0], m), Tensor.of(x.dtype(), db[0], m)};
    }

    /** dx for rows from to to, and their shares of dw and db. */
    private static void rowsBackward(Storage g, Storage x, Storage dx, Tensor w, double[] mu, double[] is, int m,
                                     int from, int to, double[] dw, double[] db) {
        if (g instanceof F32Storage gf && x instanceof F32Storage xf) {
            float[] ga = gf.data;
            float[] xa = xf.data;
            float[] da = ((F32Storage) dx).data;
            float[] wa = floats(w, m, 1);
            for (int r = from; r < to; r++) {
                int off = r * m;
                float mr = (float) mu[r];
                double s1 = 0;
                double s2 = 0;
                for (int j = 0; j < m; j++) {
                    float gw = ga[off + j] * wa[j];
                    s1 += gw;
                    s2 += gw * (xa[off + j] - mr);
                }
                // dx = gw inv + (x - mean) k + c, k = -inv^3 s2 / m, c = -inv s1 / m
                float inv = (float) is[r];
                float k = (float) (-is[r] * is[r] * is[r] * s2 / m);
                float c = (float) (-is[r] * s1 / m);
                for (int j = 0; j < m; j++) {
                    float xc = xa[off + j] - mr;
                    float gj = ga[off + j];
                    da[off + j] = Math.fma(gj * wa[j], inv, Math.fma(xc, k, c));
                    dw[j] += gj * xc * inv;
                    db[j] += gj;
                }
            }
            return;
        }
        for (int r = from; r < to; r++) {
            int off = r * m;
            double s1 = 0;
            double s2 = 0;
            for (int j = 0; j < m; j++) {
                double gw = g.get(off + j) * (w == null ? 1 : w.storage.get(j));
                s1 += gw;
                s2 += gw * (x.get(off + j) - mu[r]);
            }
            for (int j = 0; j < m; j++) {
                double xhat = (x.get(off + j) - mu[r]) * is[r];
                double gw = g.get(off + j) * (w == null ? 1 : w.storage.get(j));
                dx.set(off + j, is[r] * (gw - s1 / m - xhat * is[r] * s2 / m));
                dw[j] += g.get(off + j) * xhat;
                db[j] += g.get(off + j);
            }
        }
    }

    private static int rows(String op, Tensor x, int m) {
        if (m < 1 || x.size() % m != 0) {
            throw new ShapeException(op + ": rows of " + m + " do not divide input " + x.shape());
        }
        return x.size() / m;
    }

    private static void check(String op, Tensor x, int rows, int m, Tensor invstd, Tensor w, Tensor b) {
        if (rows < 1 || (long) rows * m != x.size() || invstd.size() != rows) {
            throw new ShapeException(op + ": input " + x.shape() + " does not split into the " + rows
                    + " rows of the statistics " + invstd.shape());
        }
        for (Tensor t : new Tensor[] {w, b}) {
            if (t != null && t.size() != m) {
                throw new ShapeException(op + ": weight or bias " + t.shape() + " does not hold the " + m
                        + " values of a row of " + x.shape());
            }
        }
    }

    /** t's m values as floats, or m copies of {@code otherwise} when t is null. */
    private static float[] floats(Tensor t, int m, float otherwise) {
        float[] f = new float[m];
        if (t == null) {
            java.util.Arrays.fill(f, otherwise);
            return f;
        }
        for (int j = 0; j < m; j++) {
            f[j] = (float) t.storage.get(j);
        }
        return f;
    }
}
