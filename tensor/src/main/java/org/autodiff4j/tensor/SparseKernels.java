package org.autodiff4j.tensor;

import java.util.Arrays;

/**
 * The loops behind {@link BinaryRows}: sums of rows picked by the ones of a binary x [m, k], held as
 * compressed sparse rows ({@code start}, {@code index}). Each sum runs over one of the row arrays at a
 * time with one index, so that C2 vectorises it. NOTE: JDK 17's C2 does not vectorise {@code a[p + j] +=
 * b[q + j]} with two different offsets (0.7 ns an add, scalar), so the float32 kernels work on columns of
 * W copied into arrays of their own, and on a buffer the size of a whole row.
 */
final class SparseKernels {
    /** Rows per parallel part of the forward, and outputs per part of the weight gradient. */
    private static final int GRAIN = 32;
    /**
     * A transpose goes in tiles of BLOCK columns (one 64-byte line of floats) by TILE rows, small enough for
     * L1, each column a run of strided loads and contiguous stores (twice as fast here as a line at a time).
     */
    private static final int BLOCK = 16;
    private static final int TILE = 128;

    /**
     * The calling thread's k arrays of n floats, kept from call to call. NOTE: allocating and zeroing them
     * each call (1.5 MB for the default VAE's first layer) took about a third of the sparse forward.
     */
    private static final ThreadLocal<float[][]> SCRATCH = new ThreadLocal<>();

    private SparseKernels() {
    }

    private static float[][] scratch(int k, int n) {
        float[][] s = SCRATCH.get();
        if (s == null || s.length != k || s[0].length != n) {
            s = new float[k][n];
            SCRATCH.set(s);
        }
        return s;
    }

    /** Whether column c of x has a one in any row. */
    private static boolean[] used(int[] start, int[] index, int m, int k) {
        boolean[] used = new boolean[k];
        for (int p = 0; p < start[m]; p++) {
            used[index[p]] = true;
        }
        return used;
    }

    /** out[i, :] = b + sum over row i's ones c of W[:, c], for W [n, k]; out [m, n] starts at zero. */
    static void linear(int[] start, int[] index, int m, int k, float[] w, float[] b, int n, float[] out) {
        boolean[] used = used(start, index, m, k);
        float[][] columns = scratch(k, n);
        Parallelism.forRange(k, GRAIN, (from, to) -> {
            for (int c0 = from; c0 < to; c0 += BLOCK) {
                int c1 = Math.min(c0 + BLOCK, to);
                for (int j0 = 0; j0 < n; j0 += TILE) {
                    int j1 = Math.min(j0 + TILE, n);
                    for (int c = c0; c < c1; c++) {
                        if (used[c]) {
                            float[] column = columns[c];
                            for (int j = j0; j < j1; j++) {
                                column[j] = w[j * k + c];
                            }
                        }
                    }
                }
            }
        });
        Parallelism.forRange(m, GRAIN, (from, to) -> {
            float[] acc = new float[n];
            for (int i = from; i < to; i++) {
                System.arraycopy(b, 0, acc, 0, n);
                for (int p = start[i]; p < start[i + 1]; p++) {
                    float[] column = columns[index[p]];
                    for (int j = 0; j < n; j++) {
                        acc[j] += column[j];
                    }
                }
                System.arraycopy(acc, 0, out, i * n, n);
            }
        });
    }

    /** out[j, c] = sum over the rows i with a one in column c of g[i, j], for g [m, n]; out [n, k] starts at zero. */
    static void transposeTimes(int[] start, int[] index, int m, int k, float[] g, int n, float[] out) {
        boolean[] used = used(start, index, m, k);
        float[][] sums = scratch(k, n);
        Parallelism.forRange(n, GRAIN, (from, to) -> {
            for (int c = 0; c < k; c++) {
                if (used[c]) {
                    Arrays.fill(sums[c], from, to, 0f);
                }
            }
            float[] row = new float[n];
            for (int i = 0; i < m; i++) {
                System.arraycopy(g, i * n + from, row, from, to - from);
                for (int p = start[i]; p < start[i + 1]; p++) {
                    float[] sum = sums[index[p]];
                    for (int j = from; j < to; j++) {
                        sum[j] += row[j];
                    }
                }
            }
            for (int c0 = 0; c0 < k; c0 += BLOCK) {
                int c1 = Math.min(c0 + BLOCK, k);
                for (int j0 = from; j0 < to; j0 += TILE) {
                    int j1 = Math.min(j0 + TILE, to);
                    for (int c = c0; c < c1; c++) {
                        if (used[c]) {
                            float[] sum = sums[c];
                            for (int j = j0; j < j1; j++) {
                                out[j * k + c] = sum[j];
                            }
                        }
                    }
                }
            }
        });
    }

    /** {@link #linear(int[], int[], int, int, float[], float[], int, float[])} in float64, in the same order. */
    static void linear(int[] start, int[] index, int m, int k, double[] w, double[] b, int n, double[] out) {
        for (int i = 0; i < m; i++) {
            System.arraycopy(b, 0, out, i * n, n);
            for (int p = start[i]; p < start[i + 1]; p++) {
                int c = index[p];
                for (int j = 0; j < n; j++) {
                    out[i * n + j] += w[j * k + c];
                }
            }
        }
    }

    /** {@link #transposeTimes(int[], int[], int, int, float[], int, float[])} in float64, in the same order. */
    static void transposeTimes(int[] start, int[] index, int m, int k, double[] g, int n, double[] out) {
        for (int i = 0; i < m; i++) {
            for (int p = start[i]; p < start[i + 1]; p++) {
                int c = index[p];
                for (int j = 0; j < n; j++) {
                    out[j * k + c] += g[i * n + j];
                }
            }
        }
    }
}
