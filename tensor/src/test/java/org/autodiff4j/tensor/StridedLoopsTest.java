package org.autodiff4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * broadcastTo, permute, sum over axes and sumTo against a plain multi-index walk, over random shapes with axes of
 * size 1 among them: the strided loops merge neighbouring axes and sum runs of axes at once, and must give what one
 * element at a time gives.
 */
class StridedLoopsTest {
    private static final int CASES = 300;

    @Test
    void broadcastTo_matchesIndexByIndex() {
        SplittableRandom r = new SplittableRandom(1);
        for (int c = 0; c < CASES; c++) {
            int[] target = dims(r);
            int[] from = target.clone();
            for (int i = 0; i < from.length; i++) {
                if (r.nextInt(2) == 0) {
                    from[i] = 1;
                }
            }
            int drop = r.nextInt(from.length + 1);
            int[] src = Arrays.copyOfRange(from, drop, from.length);
            Tensor t = values(r, src);
            double[] v = t.toDoubleArray();
            double[] want = new double[size(target)];
            int[] idx = new int[target.length];
            for (int k = 0; k < want.length; k++) {
                unravel(k, target, idx);
                int off = 0;
                for (int i = 0; i < src.length; i++) {
                    off = off * src[i] + (src[i] == 1 ? 0 : idx[drop + i]);
                }
                want[k] = v[off];
            }
            assertArrayEquals(want, t.broadcastTo(Shape.of(target)).toDoubleArray(),
                    Arrays.toString(src) + " to " + Arrays.toString(target));
        }
    }

    @Test
    void permute_matchesIndexByIndex() {
        SplittableRandom r = new SplittableRandom(2);
        for (int c = 0; c < CASES; c++) {
            int[] d = dims(r);
            int[] perm = shuffled(r, d.length);
            Tensor t = values(r, d);
            double[] v = t.toDoubleArray();
            int[] out = new int[d.length];
            for (int i = 0; i < d.length; i++) {
                out[i] = d[perm[i]];
            }
            double[] want = new double[t.size()];
            int[] idx = new int[d.length];
            int[] in = new int[d.length];
            for (int k = 0; k < want.length; k++) {
                unravel(k, out, idx);
                for (int i = 0; i < d.length; i++) {
                    in[perm[i]] = idx[i];
                }
                want[k] = v[ravel(in, d)];
            }
            assertArrayEquals(want, t.permute(perm).toDoubleArray(), Arrays.toString(d) + " " + Arrays.toString(perm));
        }
    }

    @Test
    void sumOverAxesAndSumTo_matchIndexByIndex() {
        SplittableRandom r = new SplittableRandom(3);
        for (int c = 0; c < CASES; c++) {
            int[] d = dims(r);
            Tensor t = values(r, d);
            double[] v = t.toDoubleArray();
            boolean[] reduced = new boolean[d.length];
            int n = 0;
            for (int i = 0; i < d.length; i++) {
                reduced[i] = r.nextInt(2) == 0;
                n += reduced[i] ? 1 : 0;
            }
            int[] axes = new int[n];
            int[] kept = d.clone();
            for (int i = 0, k = 0; i < d.length; i++) {
                if (reduced[i]) {
                    axes[k++] = i;
                    kept[i] = 1;
                }
            }
            if (n == 0) {
                Arrays.fill(kept, 1); // sum over no axes listed is every axis, as PyTorch's sum(dim=())
            }
            double[] want = new double[size(kept)];
            int[] idx = new int[d.length];
            for (int k = 0; k < t.size(); k++) {
                unravel(k, d, idx);
                for (int i = 0; i < d.length; i++) {
                    if (kept[i] == 1) {
                        idx[i] = 0;
                    }
                }
                want[ravel(idx, kept)] += v[k];
            }
            String where = Arrays.toString(d) + " over " + Arrays.toString(axes);
            assertArrayEquals(want, t.sum(axes, true).toDoubleArray(), 1e-12, where);
            assertArrayEquals(want, t.sumTo(Shape.of(kept)).toDoubleArray(), 1e-12, where);
        }
    }

    @Test
    void float32SumsSplitOverThreads_matchFloat64() {
        // long rows (inner 1, four accumulators) and many columns (inner above 1), in float32 against float64
        int[][] shapes = {{3, 40_000}, {50_000, 3}, {2, 100, 700}, {64, 128, 7, 7}, {7, 9000, 5}};
        SplittableRandom r = new SplittableRandom(4);
        for (int[] d : shapes) {
            Tensor t64 = values(r, d);
            Tensor t32 = t64.to(DType.FLOAT32);
            for (int axis = 0; axis < d.length; axis++) {
                int[] axes = d.length == 4 && axis > 0 ? new int[] {1, 2, 3} : new int[] {axis};
                Tensor want = t32.to(DType.FLOAT64).sum(axes, true);
                Tensor got = t32.sum(axes, true);
                String where = Arrays.toString(d) + " over " + Arrays.toString(axes);
                double[] w = want.toDoubleArray();
                double[] g = got.toDoubleArray();
                for (int i = 0; i < w.length; i++) {
                    org.junit.jupiter.api.Assertions.assertEquals(w[i], g[i], 1e-6 * Math.max(1, Math.abs(w[i])),
                            where + " at " + i);
                }
            }
        }
    }

    /** One to five axes of sizes 1 to 5. */
    private static int[] dims(SplittableRandom r) {
        int[] d = new int[1 + r.nextInt(5)];
        for (int i = 0; i < d.length; i++) {
            d[i] = 1 + r.nextInt(5);
        }
        return d;
    }

    private static Tensor values(SplittableRandom r, int[] dims) {
        double[] v = new double[size(dims)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(1000) / 8.0;
        }
        return Tensor.of(DType.FLOAT64, v, dims);
    }

    private static int[] shuffled(SplittableRandom r, int n) {
        int[] p = new int[n];
        Arrays.setAll(p, i -> i);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int s = p[i];
            p[i] = p[j];
            p[j] = s;
        }
        return p;
    }

    private static int size(int[] dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    private static void unravel(int k, int[] dims, int[] idx) {
        for (int i = dims.length - 1; i >= 0; i--) {
            idx[i] = k % dims[i];
            k /= dims[i];
        }
    }

    private static int ravel(int[] idx, int[] dims) {
        int off = 0;
        for (int i = 0; i < dims.length; i++) {
            off = off * dims[i] + idx[i];
        }
        return off;
    }
}
