package org.autodiff4j.tensor;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

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
    void unary(UnaryOp op, double p, double q, Storage out, int from, int to) {
        float[] o = ((F32Storage) out).data;
        float[] x = data;
        switch (op) {
            case TANH -> F32Kernels.tanh(x, o, from, to);
            case SIGMOID -> F32Kernels.sigmoid(x, o, from, to);
            case EXP -> F32Kernels.exp(x, o, from, to);
            case RELU -> F32Kernels.relu(x, o, from, to);
            case NEG -> F32Kernels.affine(x, -1f, 0f, o, from, to);
            case AFFINE -> F32Kernels.affine(x, (float) p, (float) q, o, from, to);
            case SQUARE -> F32Kernels.square(x, o, from, to);
            case SQRT -> F32Kernels.sqrt(x, o, from, to);
            case ABS -> F32Kernels.abs(x, o, from, to);
            case CLAMP -> F32Kernels.clamp(x, (float) p, (float) q, o, from, to);
            case LEAKY_RELU -> {
                if (p >= 0 && p <= 1) {
                    F32Kernels.leakyRelu(x, (float) p, o, from, to);
                } else {
                    exact(op, p, q, o, from, to);
                }
            }
            default -> exact(op, p, q, o, from, to);
        }
    }

    private void exact(UnaryOp op, double p, double q, float[] o, int from, int to) {
        for (int i = from; i < to; i++) {
            o[i] = (float) op.apply(data[i], p, q);
        }
    }

    @Override
    void binary(BinaryOp op, Storage b, double p, Storage out, int from, int to) {
        float[] x = data;
        float[] y = ((F32Storage) b).data;
        float[] o = ((F32Storage) out).data;
        switch (op) {
            case ADD -> F32Kernels.add(x, y, o, from, to);
            case SUB -> F32Kernels.sub(x, y, o, from, to);
            case MUL -> F32Kernels.mul(x, y, o, from, to);
            case DIV -> F32Kernels.div(x, y, o, from, to);
            case TANH_BACKWARD -> F32Kernels.tanhBackward(x, y, o, from, to);
            case SIGMOID_BACKWARD -> F32Kernels.sigmoidBackward(x, y, o, from, to);
            case LEAKY_RELU_BACKWARD -> {
                if (p >= 0 && p <= 1) {
                    F32Kernels.leakyReluBackward(x, y, (float) p, o, from, to);
                } else {
                    for (int i = from; i < to; i++) {
                        o[i] = (float) op.apply(x[i], y[i], p);
                    }
                }
            }
            case BCE_WITH_LOGITS -> F32Kernels.bceWithLogits(x, y, o, from, to);
            case BCE_WITH_LOGITS_BACKWARD -> F32Kernels.bceWithLogitsBackward(x, y, o, from, to);
        }
    }

    @Override
    void map(DoubleUnaryOperator f, Storage out) {
        float[] o = ((F32Storage) out).data;
        for (int i = 0; i < data.length; i++) {
            o[i] = (float) f.applyAsDouble(data[i]);
        }
    }

    @Override
    void zip(DoubleBinaryOperator f, Storage b, Storage out) {
        float[] y = ((F32Storage) b).data;
        float[] o = ((F32Storage) out).data;
        for (int i = 0; i < o.length; i++) {
            o[i] = (float) f.applyAsDouble(data[i], y[i]);
        }
    }

    @Override
    void zipStrided(DoubleBinaryOperator f, int[] sa, Storage b, int[] sb, Storage out, int[] dims) {
        float[] y = ((F32Storage) b).data;
        float[] o = ((F32Storage) out).data;
        forEachRow(dims, sa, sb, (start, offA, offB, n, strideA, strideB) -> {
            for (int j = 0; j < n; j++) {
                o[start + j] = (float) f.applyAsDouble(data[offA + j * strideA], y[offB + j * strideB]);
            }
        });
    }

    @Override
    void gather(int[] dims, int[] strides, int offset, Storage out) {
        float[] o = ((F32Storage) out).data;
        forEachRow(dims, strides, null, (start, offA, offB, n, strideA, strideB) -> {
            for (int j = 0; j < n; j++) {
                o[start + j] = data[offset + offA + j * strideA];
            }
        });
    }

    @Override
    void sumAxis(int outer, int len, int inner, Storage out) {
        float[] o = ((F32Storage) out).data;
        if (inner == 1) {
            for (int p = 0; p < outer; p++) {
                double acc = 0;
                int base = p * len;
                for (int j = 0; j < len; j++) {
                    acc += data[base + j];
                }
                o[p] = (float) acc;
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
    void adam(Storage grad, Storage m, Storage v, double beta1, double beta2, double stepSize,
              double sqrtCorrection2, double eps, double weightDecay, int from, int to) {
        float[] g = ((F32Storage) grad).data;
        float[] ms = ((F32Storage) m).data;
        float[] vs = ((F32Storage) v).data;
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float c1 = (float) (1 - beta1);
        float c2 = (float) (1 - beta2);
        float wd = (float) weightDecay;
        float step = (float) stepSize;
        float inv = (float) (1 / sqrtCorrection2);
        float e = (float) eps;
        for (int i = from; i < to; i++) {
            float gi = g[i] + wd * data[i];
            float mi = b1 * ms[i] + c1 * gi;
            float vi = b2 * vs[i] + c2 * gi * gi;
            ms[i] = mi;
            vs[i] = vi;
            data[i] -= step * mi / ((float) Math.sqrt(vi) * inv + e);
        }
    }

    @Override
    void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
              Storage a, int lda, Storage b, int ldb, double beta, Storage c) {
        Blas.sgemm(transA, transB, m, n, k, (float) alpha, ((F32Storage) a).data, lda,
                ((F32Storage) b).data, ldb, (float) beta, ((F32Storage) c).data);
    }
}
