package org.autodiff4j.tensor;

/**
 * The linear-algebra family behind {@link Tensor}: batched matrix products over broadcast batch
 * dimensions, each batch one gemm on the BLAS route in use.
 */
final class LinearAlgebra {
    private LinearAlgebra() {
    }

    /**
     * {@code op(a) op(b)} for operands of rank at least 2 whose leading (batch) dimensions broadcast, as
     * PyTorch's {@code matmul}: [..., m, k] x [..., k, n] gives [batch..., m, n].
     */
    static Tensor batched(Tensor a, Tensor b, boolean transA, boolean transB) {
        Shape sa = a.shape();
        Shape sb = b.shape();
        String names = sa + (transA ? "^T" : "") + " x " + sb + (transB ? "^T" : "");
        if (sa.rank() < 2 || sb.rank() < 2) {
            throw new ShapeException("matMul: " + names + ": both operands need rank 2 or more");
        }
        int ra = sa.rank();
        int rb = sb.rank();
        int m = transA ? sa.dim(ra - 1) : sa.dim(ra - 2);
        int k = transA ? sa.dim(ra - 2) : sa.dim(ra - 1);
        int k2 = transB ? sb.dim(rb - 1) : sb.dim(rb - 2);
        int n = transB ? sb.dim(rb - 2) : sb.dim(rb - 1);
        if (k != k2) {
            throw new ShapeException("matMul: " + names + ": inner dimensions " + k + " and " + k2 + " differ");
        }
        Shape batchA = Shape.of(java.util.Arrays.copyOf(sa.dimsView(), ra - 2));
        Shape batchB = Shape.of(java.util.Arrays.copyOf(sb.dimsView(), rb - 2));
        Shape batch = batchA.broadcastWith(batchB, "matMul");
        int[] outDims = java.util.Arrays.copyOf(batch.dimsView(), batch.rank() + 2);
        outDims[batch.rank()] = m;
        outDims[batch.rank() + 1] = n;
        DType dt = DType.promote(a.dtype(), b.dtype());
        Storage out = Storage.zeros(dt, Shape.of(outDims).size());
        Storage as = a.storage.to(dt);
        Storage bs = b.storage.to(dt);
        int sizeA = m * k;
        int sizeB = k * n;
        int[] offA = offsets(batchA, batch, sizeA);
        int[] offB = offsets(batchB, batch, sizeB);
        // NOTE: each batch is copied into contiguous scratch for gemm, whose routes take no offsets; the copies are
        // O(mk + kn) against the product's O(mkn)
        Storage tmpA = Storage.zeros(dt, sizeA);
        Storage tmpB = Storage.zeros(dt, sizeB);
        Storage tmpC = Storage.zeros(dt, m * n);
        for (int i = 0; i < offA.length; i++) {
            if (i == 0 || offA[i] != offA[i - 1]) { // a broadcast operand (a shared weight) is copied once
                System.arraycopy(as.array(), offA[i], tmpA.array(), 0, sizeA);
            }
            if (i == 0 || offB[i] != offB[i - 1]) {
                System.arraycopy(bs.array(), offB[i], tmpB.array(), 0, sizeB);
            }
            tmpC.gemm(transA, transB, m, n, k, 1.0, tmpA, transA ? m : k, tmpB, transB ? k : n, 0.0, tmpC);
            System.arraycopy(tmpC.array(), 0, out.array(), i * m * n, m * n);
        }
        return new Tensor(Shape.of(outDims), out);
    }

    /** For each batch index of {@code to} in row-major order, the offset of that batch's matrix in {@code from}. */
    private static int[] offsets(Shape from, Shape to, int matrixSize) {
        int count = to.size();
        int[] out = new int[count];
        int[] strides = new int[to.rank()];
        int lead = to.rank() - from.rank();
        int[] fs = from.strides();
        for (int i = 0; i < from.rank(); i++) {
            strides[lead + i] = from.dimsView()[i] == 1 ? 0 : fs[i] * matrixSize;
        }
        int[] idx = new int[to.rank()];
        int off = 0;
        for (int i = 0; i < count; i++) {
            out[i] = off;
            for (int ax = to.rank() - 1; ax >= 0; ax--) {
                idx[ax]++;
                off += strides[ax];
                if (idx[ax] < to.dimsView()[ax]) {
                    break;
                }
                off -= strides[ax] * to.dimsView()[ax];
                idx[ax] = 0;
            }
        }
        return out;
    }

    static Tensor matMul(Tensor t, Tensor other) {
        return matMul(t, other, false, false);
    }

    static Tensor matMul(Tensor t, Tensor other, boolean transA, boolean transB) {
        if (t.rank() > 2 || other.rank() > 2) {
            return LinearAlgebra.batched(t, other, transA, transB);
        }
        int[] mn = productShape(t, other, transA, transB);
        DType dt = DType.promote(t.dtype(), other.dtype());
        return gemm(t, other, transA, transB, new Tensor(Shape.of(mn[0], mn[1]), Storage.zeros(dt, mn[0] * mn[1])));
    }

    static Tensor matMul(Tensor t, Tensor other, boolean transA, boolean transB, Tensor out) {
        int[] mn = productShape(t, other, transA, transB);
        if (!out.shape().equals(Shape.of(mn[0], mn[1]))) {
            throw new ShapeException("matMul: " + t.shape() + (transA ? "^T" : "") + " x " + other.shape()
                    + (transB ? "^T" : "") + " is [" + mn[0] + ", " + mn[1] + "], not out's " + out.shape());
        }
        DType dt = DType.promote(t.dtype(), other.dtype());
        if (out.dtype() != dt) {
            throw new IllegalArgumentException("matMul: the product is " + dt + ", out is " + out.dtype());
        }
        if (out.storage == t.storage || out.storage == other.storage) {
            throw new IllegalArgumentException("matMul: out must not be an operand");
        }
        gemm(t, other, transA, transB, out);
        out.storage.bumpVersion();
        return out;
    }

    static int[] productShape(Tensor t, Tensor other, boolean transA, boolean transB) {
        String a = t.shape() + (transA ? "^T" : "");
        String b = other.shape() + (transB ? "^T" : "");
        if (t.rank() != 2 || other.rank() != 2) {
            throw new ShapeException("matMul: " + a + " x " + b + ": both operands must have rank 2");
        }
        int k = transA ? t.shape().dimsView()[0] : t.shape().dimsView()[1];
        int k2 = transB ? other.shape().dimsView()[1] : other.shape().dimsView()[0];
        if (k != k2) {
            throw new ShapeException("matMul: " + a + " x " + b + ": inner dimensions " + k + " and " + k2 + " differ");
        }
        return new int[] {transA ? t.shape().dimsView()[1] : t.shape().dimsView()[0],
                          transB ? other.shape().dimsView()[0] : other.shape().dimsView()[1]};
    }

    static Tensor gemm(Tensor t, Tensor other, boolean transA, boolean transB, Tensor out) {
        int m = out.shape().dimsView()[0];
        int n = out.shape().dimsView()[1];
        int k = transA ? t.shape().dimsView()[0] : t.shape().dimsView()[1];
        DType dt = out.dtype();
        out.storage.gemm(transA, transB, m, n, k, 1.0, t.storage.to(dt), t.shape().dimsView()[1], other.storage.to(dt),
                other.shape().dimsView()[1], 0.0, out.storage);
        return out;
    }

    static Tensor linear(Tensor t, Tensor weight, Tensor bias) {
        if (t.rank() != 2 || weight.rank() != 2 || bias.rank() != 1 || t.shape().dimsView()[1] != weight.shape().dimsView()[1]
                || bias.shape().dimsView()[0] != weight.shape().dimsView()[0]) {
            throw new ShapeException("linear: input " + t.shape() + ", weight " + weight.shape() + ", bias " + bias.shape()
                    + ": expected [m, k], [n, k] and [n]");
        }
        int m = t.shape().dimsView()[0];
        int k = t.shape().dimsView()[1];
        int n = weight.shape().dimsView()[0];
        DType dt = DType.promote(DType.promote(t.dtype(), weight.dtype()), bias.dtype());
        Tensor out = new Tensor(Shape.of(m, n), Storage.zeros(dt, m * n));
        bias.storage.to(dt).tileRows(m, out.storage);
        out.storage.gemm(false, true, m, n, k, 1.0, t.storage.to(dt), k, weight.storage.to(dt), k, 1.0, out.storage);
        return out;
    }
}
