package org.autodiff4j.tensor;

import java.util.Arrays;

/** float32 storage; elementwise math runs in double and rounds once per element. */
final class F32Storage extends Storage {
    final float[] data;

    F32Storage(float[] data) {
        this.data = data;
    }

    @Override DType dtype() { return DType.FLOAT32; }

    @Override int length() { return data.length; }

    @Override Object array() { return data; }

    @Override double get(int i) { return data[i]; }

    @Override void set(int i, double v) { data[i] = (float) v; }

    @Override Storage empty(int n) { return new F32Storage(new float[n]); }

    @Override Storage copy() { return new F32Storage(data.clone()); }

    @Override
    Storage to(DType dtype) {
        if (dtype == DType.FLOAT32) {
            return this;
        }
        double[] d = new double[data.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = data[i];
        }
        return new F64Storage(d);
    }

    @Override void fill(double v) { Arrays.fill(data, (float) v); }

    @Override
    void gather(int[] dims, int[] strides, int offset, Storage out) {
        float[] o = ((F32Storage) out).data;
        forEachRow(dims, strides, null, (start, offA, offB, n, strideA, strideB) -> {
            if (strideA == 1) { // NOTE: contiguous rows (permute of the leading axes) as one copy: 3x faster (JFR, DCGAN)
                System.arraycopy(data, offset + offA, o, start, n);
                return;
            }
            if (strideA == 0) { // a broadcast axis: one value repeated
                Arrays.fill(o, start, start + n, data[offset + offA]);
                return;
            }
            for (int j = 0; j < n; j++) {
                o[start + j] = data[offset + offA + j * strideA];
            }
        });
    }

    @Override
    void scatter(int[] dims, int[] strides, int offset, Storage src, boolean add) {
        float[] in = ((F32Storage) src).data;
        forEachRow(dims, strides, null, (start, offA, offB, n, strideA, strideB) -> {
            if (add) {
                for (int j = 0; j < n; j++) {
                    data[offset + offA + j * strideA] += in[start + j];
                }
            } else {
                for (int j = 0; j < n; j++) {
                    data[offset + offA + j * strideA] = in[start + j];
                }
            }
        });
    }

    @Override
    void im2col(Im2col g, Storage out, boolean back) {
        float[] cols = ((F32Storage) out).data;
        int[] x0 = new int[g.kw()];
        int[] x1 = new int[g.kw()];
        for (int j = 0; j < g.kw(); j++) {
            x0[j] = g.firstInside(j);
            x1[j] = g.endInside(j);
        }
        int l = g.oh() * g.ow();
        for (int n = 0; n < g.n() * g.c(); n++) {
            int image = n * g.h() * g.w();
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++) {
                    int shift = j * g.dw() - g.pw();
                    // row (c, i, j) of image b's columns: [N, C kh kw, L], or [C kh kw, N L] when batch-major
                    int rowOfColumns = ((n % g.c()) * g.kh() + i) * g.kw() + j;
                    int k = g.batchMajor() ? (rowOfColumns * g.n() + n / g.c()) * l
                            : ((n / g.c()) * g.c() * g.kh() * g.kw() + rowOfColumns) * l;
                    for (int y = 0; y < g.oh(); y++, k += g.ow()) {
                        int r = y * g.sh() + i * g.dh() - g.ph();
                        if (r < 0 || r >= g.h()) {
                            continue; // the row is padding: its columns stay 0 (and take no gradient)
                        }
                        int row = image + r * g.w() + shift;
                        if (back) {
                            for (int x = x0[j]; x < x1[j]; x++) {
                                data[row + x * g.sw()] += cols[k + x];
                            }
                        } else {
                            for (int x = x0[j]; x < x1[j]; x++) {
                                cols[k + x] = data[row + x * g.sw()];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code x[from] + ... + x[to - 1]} in double.
     * NOTE: eight accumulators, added at the end, so that the double additions do not wait on each other: one
     * accumulator took 1.7x the time of four on a [64, 64, 14, 14] pass, four 1.75x the time of eight (0.32 against
     * 0.19 ms, rows of 196); Channels.moments of that tensor on one thread, then two passes, both at eight,
     * 1.10 -> 0.48 ms (best of 5 x 200). The sum's order changes, its precision does not.
     */
    static double sum(float[] x, int from, int to) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double s4 = 0;
        double s5 = 0;
        double s6 = 0;
        double s7 = 0;
        int j = from;
        for (; j + 7 < to; j += 8) {
            s0 += x[j];
            s1 += x[j + 1];
            s2 += x[j + 2];
            s3 += x[j + 3];
            s4 += x[j + 4];
            s5 += x[j + 5];
            s6 += x[j + 6];
            s7 += x[j + 7];
        }
        for (; j < to; j++) {
            s0 += x[j];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    @Override
    void sumAxis(int outer, int len, int inner, Storage out) {
        float[] o = ((F32Storage) out).data;
        if (inner == 1) {
            for (int p = 0; p < outer; p++) {
                o[p] = (float) sum(data, p * len, p * len + len);
            }
            return;
        }
        double[] acc = new double[inner];
        for (int p = 0; p < outer; p++) {
            java.util.Arrays.fill(acc, 0.0);
            int base = p * len * inner;
            for (int j = 0; j < len; j++) {
                int row = base + j * inner;
                for (int q = 0; q < inner; q++) {
                    acc[q] += data[row + q];
                }
            }
            for (int q = 0; q < inner; q++) {
                o[p * inner + q] = (float) acc[q];
            }
        }
    }

    @Override
    void maxAxis(int outer, int len, int inner, Storage out, int[] argOut) {
        float[] o = ((F32Storage) out).data;
        for (int p = 0; p < outer; p++) {
            int base = p * len * inner;
            for (int q = 0; q < inner; q++) {
                int best = 0;
                float max = data[base + q];
                for (int j = 1; j < len; j++) {
                    float v = data[base + j * inner + q];
                    if (v > max || (Float.isNaN(v) && !Float.isNaN(max))) {
                        max = v;
                        best = j;
                    }
                }
                o[p * inner + q] = max;
                argOut[p * inner + q] = best;
            }
        }
    }

    @Override
    double sum() {
        double s = 0;
        for (float v : data) {
            s += v;
        }
        return s;
    }

    @Override
    void axpy(double alpha, Storage x) {
        float[] xs = ((F32Storage) x).data;
        float a = (float) alpha;
        for (int i = 0; i < data.length; i++) {
            data[i] += a * xs[i];
        }
    }

    @Override
    void scale(double alpha) {
        float a = (float) alpha;
        for (int i = 0; i < data.length; i++) {
            data[i] *= a;
        }
    }

    @Override
    void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
              Storage a, int lda, Storage b, int ldb, double beta, Storage c) {
        Blas.sgemm(transA, transB, m, n, k, (float) alpha, ((F32Storage) a).data, lda,
                ((F32Storage) b).data, ldb, (float) beta, ((F32Storage) c).data);
    }
}
