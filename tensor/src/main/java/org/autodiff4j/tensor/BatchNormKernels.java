package org.autodiff4j.tensor;

/**
 * The per-channel kernels of batch normalisation's backward pass with the batch's own statistics, over [N, C, ...]
 * tensors as {@link Channels}': the two sums it needs in one pass, then dx in one more. Sums accumulate in double;
 * on float32 tensors dx is computed in float32 so that it vectorises, on float64 ones in double.
 */
public final class BatchNormKernels {
    private BatchNormKernels() {
    }

    /**
     * The two sums batch normalisation's gradient needs, in one pass: {@code sumG[c] = sum g[n, c, ...]} and
     * {@code sumGXc[c] = sum g[n, c, ...] (x[n, c, ...] - mean[c])}.
     *
     * @param g the gradient of the output, [N, C, ...]
     * @param x the input, g's shape
     * @param mean [C]
     * @return {sumG [C], sumGXc [C]}, g's dtype
     * @throws ShapeException when x's shape is not g's, or mean is not [C]
     */
    public static Tensor[] centredSums(Tensor g, Tensor x, Tensor mean) {
        Channels.Dims d = Channels.dims("centredSums", g);
        if (!x.shape().equals(g.shape())) {
            throw new ShapeException("centredSums: " + g.shape() + " and " + x.shape() + " differ");
        }
        double[] m = Channels.perChannel("centredSums", mean, d, 0);
        int parts = Math.max(1, Math.min(Math.min(Parallelism.threads(), Math.max(1, d.n())),
                (int) ((long) d.n() * d.c() * d.l() / Channels.GRAIN)));
        double[][] sumG = new double[parts][d.c()];
        double[][] sumGXc = new double[parts][d.c()];
        int count = parts;
        Parallelism.forRange(count, 1, (from, to) -> {
            for (int p = from; p < to; p++) {
                int n0 = (int) ((long) d.n() * p / count);
                int n1 = (int) ((long) d.n() * (p + 1) / count);
                centredSums(d, g.storage, x.storage, m, n0, n1, sumG[p], sumGXc[p]);
            }
        });
        for (int p = 1; p < parts; p++) {
            for (int c = 0; c < d.c(); c++) {
                sumG[0][c] += sumG[p][c];
                sumGXc[0][c] += sumGXc[p][c];
            }
        }
        return new Tensor[] {Tensor.of(g.dtype(), sumG[0], d.c()), Tensor.of(g.dtype(), sumGXc[0], d.c())};
    }

    /**
     * The gradient of training-mode batch normalisation, {@code y = (x - mean[c]) invstd[c] w[c] + b[c]} with the
     * batch's own statistics, with respect to x: {@code dx = (g - sumG[c] / M - (x - mean[c]) invstd[c]^2 sumGXc[c] / M)
     * invstd[c] w[c]}, M = N times the trailing sizes (PyTorch's CPU formula).
     *
     * @param g the gradient of y, [N, C, ...]
     * @param x the input, g's shape
     * @param mean the batch mean, [C]
     * @param invstd {@code 1 / sqrt(var + eps)}, [C]
     * @param weight w, [C], or null for 1
     * @param sumG the first of {@link #centredSums}' results, [C]
     * @param sumGXc the second, [C]
     * @return dx, g's shape and dtype
     * @throws ShapeException when a per-channel operand is not [C]
     */
    public static Tensor normalizeBackward(Tensor g, Tensor x, Tensor mean, Tensor invstd, Tensor weight, Tensor sumG,
                                           Tensor sumGXc) {
        Channels.Dims d = Channels.dims("normalizeBackward", g);
        double m = d.n() * (double) d.l();
        double[] mu = Channels.perChannel("normalizeBackward", mean, d, 0);
        double[] is = Channels.perChannel("normalizeBackward", invstd, d, 1);
        double[] w = Channels.perChannel("normalizeBackward", weight, d, 1);
        double[] sg = Channels.perChannel("normalizeBackward", sumG, d, 0);
        double[] sgx = Channels.perChannel("normalizeBackward", sumGXc, d, 0);
        double[] meanG = new double[d.c()];
        double[] k = new double[d.c()];
        double[] scale = new double[d.c()];
        for (int c = 0; c < d.c(); c++) {
            meanG[c] = sg[c] / m;
            k[c] = sgx[c] / m * is[c] * is[c];
            scale[c] = is[c] * w[c];
        }
        Tensor dx = Tensor.zeros(g.shape(), g.dtype());
        Storage gs = g.storage;
        Storage xs = x.storage;
        Storage ds = dx.storage;
        if (gs instanceof F32Storage gf && xs instanceof F32Storage xf) {
            float[] ga = gf.data;
            float[] xa = xf.data;
            float[] da = ((F32Storage) ds).data;
            float[] muf = Channels.floats(mu);
            float[] mgf = Channels.floats(meanG);
            float[] kf = Channels.floats(k);
            float[] sf = Channels.floats(scale);
            Channels.forRows(d, (row, c, from, to) -> {
                if (c < 0) {
                    for (int q = 0; q < d.c(); q++) {
                        da[from + q] = (ga[from + q] - Math.fma(xa[from + q] - muf[q], kf[q], mgf[q])) * sf[q];
                    }
                    return;
                }
                float mc = muf[c];
                float gc = mgf[c];
                float kc = kf[c];
                float sc = sf[c];
                for (int j = from; j < to; j++) {
                    da[j] = (ga[j] - Math.fma(xa[j] - mc, kc, gc)) * sc;
                }
            });
        } else {
            for (int j = 0; j < gs.length(); j++) {
                int c = (j / d.l()) % d.c();
                ds.set(j, (gs.get(j) - meanG[c] - (xs.get(j) - mu[c]) * k[c]) * scale[c]);
            }
        }
        return dx;
    }

    /** The two sums of {@link #centredSums} over batch rows n0 to n1, into sumG and sumGXc. */
    private static void centredSums(Channels.Dims d, Storage g, Storage x, double[] mean, int n0, int n1,
                                    double[] sumG, double[] sumGXc) {
        if (g instanceof F32Storage gf && x instanceof F32Storage xf) {
            float[] ga = gf.data;
            float[] xa = xf.data;
            if (d.l() == 1) {             // [N, C]: along the rows, in memory order
                for (int n = n0; n < n1; n++) {
                    int off = n * d.c();
                    for (int c = 0; c < d.c(); c++) {
                        double gv = ga[off + c];
                        sumG[c] += gv;
                        sumGXc[c] += gv * (xa[off + c] - mean[c]);
                    }
                }
                return;
            }
            for (int n = n0; n < n1; n++) {
                for (int c = 0; c < d.c(); c++) {
                    int off = d.offset(n, c);
                    double mc = mean[c];
                    // two accumulators of each, so that the double additions do not all wait on each other
                    double s0 = 0;
                    double s1 = 0;
                    double q0 = 0;
                    double q1 = 0;
                    int j = off;
                    int end = off + d.l();
                    for (; j + 1 < end; j += 2) {
                        double g0 = ga[j];
                        double g1 = ga[j + 1];
                        s0 += g0;
                        s1 += g1;
                        q0 += g0 * (xa[j] - mc);
                        q1 += g1 * (xa[j + 1] - mc);
                    }
                    if (j < end) {
                        s0 += ga[j];
                        q0 += ga[j] * (xa[j] - mc);
                    }
                    sumG[c] += s0 + s1;
                    sumGXc[c] += q0 + q1;
                }
            }
            return;
        }
        for (int n = n0; n < n1; n++) {
            for (int c = 0; c < d.c(); c++) {
                int off = d.offset(n, c);
                for (int j = off; j < off + d.l(); j++) {
                    sumG[c] += g.get(j);
                    sumGXc[c] += g.get(j) * (x.get(j) - mean[c]);
                }
            }
        }
    }
}
