package org.autodiff4j.tensor;

/**
 * Per-channel kernels over [N, C, ...] tensors (axis 1 the channel, every other axis reduced or broadcast), each one
 * pass without materialising a broadcast: what batch normalisation and a convolution's bias need. Sums accumulate in
 * double; float32 tensors run on their arrays, float64 ones through the generic accessors (they serve gradient
 * checks). Results have x's dtype.
 */
public final class Channels {
    /** Elements per thread below which a loop stays on the calling thread. */
    private static final int GRAIN = 1 << 15;

    private Channels() {
    }

    /**
     * Mean and biased variance of each channel, {@code mean[c] = sum x[n, c, ...] / M} and
     * {@code var[c] = sum (x - mean[c])^2 / M} with M = N times the trailing sizes (two passes, for accuracy).
     *
     * @param x [N, C, ...], rank at least 2
     * @return {mean [C], var [C]}
     * @throws ShapeException when x has rank below 2
     */
    public static Tensor[] moments(Tensor x) {
        Dims d = dims("moments", x);
        double[] mean = new double[d.c];
        double[] var = new double[d.c];
        Storage xs = x.storage;
        Parallelism.forRange(d.c, grain(d.n * d.l), (from, to) -> {
            for (int c = from; c < to; c++) {
                double s = 0;
                for (int n = 0; n < d.n; n++) {
                    s += rowSum(xs, d.offset(n, c), d.l, null, 0);
                }
                double m = s / (d.n * (double) d.l);
                double q = 0;
                for (int n = 0; n < d.n; n++) {
                    q += rowSquares(xs, d.offset(n, c), d.l, m);
                }
                mean[c] = m;
                var[c] = q / (d.n * (double) d.l);
            }
        });
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
        Dims d = dims("affine", x);
        double[] a = perChannel("affine", scale, d, 1);
        double[] b = perChannel("affine", shift, d, 0);
        Tensor y = Tensor.zeros(x.shape(), x.dtype());
        Storage xs = x.storage;
        Storage ys = y.storage;
        Parallelism.forRange(d.n * d.c, grain(d.l), (from, to) -> {
            for (int row = from; row < to; row++) {
                int c = row % d.c;
                int off = row * d.l;
                if (xs instanceof F32Storage xf) {
                    float[] xa = xf.data;
                    float[] ya = ((F32Storage) ys).data;
                    float sa = (float) a[c];
                    float sb = (float) b[c];
                    for (int j = off; j < off + d.l; j++) {
                        ya[j] = xa[j] * sa + sb;
                    }
                } else {
                    for (int j = off; j < off + d.l; j++) {
                        ys.set(j, xs.get(j) * a[c] + b[c]);
                    }
                }
            }
        });
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
        double[] s = new double[d.c];
        Storage as = a.storage;
        Storage bs = b == null ? null : b.storage;
        Parallelism.forRange(d.c, grain(d.n * d.l), (from, to) -> {
            for (int c = from; c < to; c++) {
                double t = 0;
                for (int n = 0; n < d.n; n++) {
                    t += rowSum(as, d.offset(n, c), d.l, bs, d.offset(n, c));
                }
                s[c] = t;
            }
        });
        return Tensor.of(a.dtype(), s, d.c);
    }

    /**
     * The gradient of batch normalisation's {@code xhat = (x - mean) * invstd} with batch statistics:
     * {@code dx = invstd[c] (g - sum_g[c] / M - xhat sum_gxhat[c] / M)}, with M = N times the trailing sizes.
     *
     * @param g the gradient of xhat, [N, C, ...]
     * @param xhat the normalised values, g's shape
     * @param invstd {@code 1 / sqrt(var + eps)}, [C]
     * @param sumG {@code sums(g, null)}, [C]
     * @param sumGXhat {@code sums(g, xhat)}, [C]
     * @return dx, g's shape and dtype
     */
    public static Tensor normalizeBackward(Tensor g, Tensor xhat, Tensor invstd, Tensor sumG, Tensor sumGXhat) {
        Dims d = dims("normalizeBackward", g);
        double m = d.n * (double) d.l;
        double[] is = perChannel("normalizeBackward", invstd, d, 1);
        double[] mg = perChannel("normalizeBackward", sumG, d, 0);
        double[] mgx = perChannel("normalizeBackward", sumGXhat, d, 0);
        Tensor dx = Tensor.zeros(g.shape(), g.dtype());
        Storage gs = g.storage;
        Storage hs = xhat.storage;
        Storage ds = dx.storage;
        Parallelism.forRange(d.n * d.c, grain(d.l), (from, to) -> {
            for (int row = from; row < to; row++) {
                int c = row % d.c;
                int off = row * d.l;
                double k = is[c];
                double a = mg[c] / m;
                double b = mgx[c] / m;
                if (gs instanceof F32Storage gf && hs instanceof F32Storage hf) {
                    float[] ga = gf.data;
                    float[] ha = hf.data;
                    float[] da = ((F32Storage) ds).data;
                    for (int j = off; j < off + d.l; j++) {
                        da[j] = (float) (k * (ga[j] - a - ha[j] * b));
                    }
                } else {
                    for (int j = off; j < off + d.l; j++) {
                        ds.set(j, k * (gs.get(j) - a - hs.get(j) * b));
                    }
                }
            }
        });
        return dx;
    }

    private static double rowSum(Storage a, int off, int l, Storage b, int boff) {
        double s = 0;
        if (a instanceof F32Storage af && (b == null || b instanceof F32Storage)) {
            float[] x = af.data;
            if (b == null) {
                for (int j = 0; j < l; j++) {
                    s += x[off + j];
                }
            } else {
                float[] y = ((F32Storage) b).data;
                for (int j = 0; j < l; j++) {
                    s += x[off + j] * (double) y[boff + j];
                }
            }
            return s;
        }
        for (int j = 0; j < l; j++) {
            s += b == null ? a.get(off + j) : a.get(off + j) * b.get(boff + j);
        }
        return s;
    }

    private static double rowSquares(Storage a, int off, int l, double mean) {
        double q = 0;
        if (a instanceof F32Storage af) {
            float[] x = af.data;
            for (int j = 0; j < l; j++) {
                double v = x[off + j] - mean;
                q += v * v;
            }
            return q;
        }
        for (int j = 0; j < l; j++) {
            double v = a.get(off + j) - mean;
            q += v * v;
        }
        return q;
    }

    private static int grain(int perItem) {
        return Math.max(1, GRAIN / Math.max(1, perItem));
    }

    private static double[] perChannel(String op, Tensor t, Dims d, double absent) {
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

    private static Dims dims(String op, Tensor x) {
        Shape s = x.shape();
        if (s.rank() < 2) {
            throw new ShapeException(op + ": input " + s + " must be [N, C, ...]");
        }
        int n = s.dim(0);
        int c = s.dim(1);
        return new Dims(n, c, n * c == 0 ? 0 : s.size() / (n * c));
    }

    /** N, C and the product of the trailing sizes. */
    private record Dims(int n, int c, int l) {
        int offset(int batch, int channel) {
            return (batch * c + channel) * l;
        }
    }
}
