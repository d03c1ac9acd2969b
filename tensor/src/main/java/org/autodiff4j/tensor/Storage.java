package org.autodiff4j.tensor;

/**
 * The flat, row-major element buffer behind a tensor: the one place where float32 and float64
 * code is written twice ({@link F32Storage}, {@link F64Storage}). Every method takes and returns
 * storages of its own dtype; callers convert first. Nothing here checks shapes: {@link Tensor}
 * does that before calling in.
 */
abstract sealed class Storage permits F32Storage, F64Storage {

    /** A zero-filled storage of {@code n} elements of {@code dtype}. */
    static Storage zeros(DType dtype, int n) {
        return dtype == DType.FLOAT32 ? new F32Storage(new float[n]) : new F64Storage(new double[n]);
    }

    /**
     * Counts in-place writes through {@link Tensor}'s {@code *i} methods, shared by every tensor over this
     * storage (as PyTorch's version counter): autograd compares it to detect a saved value changed before backward.
     */
    private volatile int version;

    final int version() {
        return version;
    }

    final void bumpVersion() {
        version++;
    }

    abstract DType dtype();

    abstract int length();

    /** The backing array, {@code float[]} or {@code double[]}. */
    abstract Object array();

    abstract double get(int i);

    abstract void set(int i, double v);

    /** A zero-filled storage of the same dtype. */
    abstract Storage empty(int n);

    abstract Storage copy();

    /** This storage in {@code dtype}: itself when the dtype matches, else a converted copy. */
    abstract Storage to(DType dtype);

    abstract void fill(double v);

    /** Elements per thread below which a vectorised elementwise loop stays on one thread. */
    static final int VECTOR_GRAIN = 1 << 16;
    /** Elements per thread below which a scalar (exp, log) elementwise loop stays on one thread. */
    static final int SCALAR_GRAIN = 1 << 13;

    /**
     * Runs {@code f} over operands of one dtype and length, split over threads for large ones: writes
     * operand 0, and in place also every element of another operand that {@code f} changes.
     */
    static void elementwise(Elementwise f, Storage[] operands, boolean inPlace) {
        Parallelism.forRange(operands[0].length(), f.vectorised() ? VECTOR_GRAIN : SCALAR_GRAIN,
                (from, to) -> elementwise(f, operands, inPlace, from, to));
    }

    /**
     * {@link #elementwise(Elementwise, Storage[], boolean)} over elements {@code [from, to)}: float32's own
     * loop when {@code f} has one, else {@code f.at} per element in double, each written value rounded once.
     */
    private static void elementwise(Elementwise f, Storage[] operands, boolean inPlace, int from, int to) {
        if (operands[0] instanceof F32Storage) {
            float[][] a = new float[operands.length][];
            for (int k = 0; k < a.length; k++) {
                a[k] = ((F32Storage) operands[k]).data;
            }
            if (f.f32(a, from, to)) {
                return;
            }
        }
        double[] v = new double[operands.length];
        double[] before = new double[operands.length];
        for (int i = from; i < to; i++) {
            for (int k = 0; k < v.length; k++) {
                v[k] = operands[k].get(i);
            }
            System.arraycopy(v, 0, before, 0, v.length);
            f.at(v);
            operands[0].set(i, v[0]);
            for (int k = 2; inPlace && k < v.length; k++) { // operand 1 is operand 0's old value in place
                if (Double.doubleToRawLongBits(v[k]) != Double.doubleToRawLongBits(before[k])) {
                    operands[k].set(i, v[k]);
                }
            }
        }
    }

    /** Strided copy into contiguous {@code out} of shape {@code dims}: element at {@code offset + idx . strides}. */
    abstract void gather(int[] dims, int[] strides, int offset, Storage out);

    /**
     * The adjoint of {@link #gather}: contiguous {@code src} of shape {@code dims} written to this storage at
     * {@code offset + idx . strides}, added to what is there when {@code add} (a scatter-add, where several
     * indices may meet) or replacing it.
     */
    abstract void scatter(int[] dims, int[] strides, int offset, Storage src, boolean add);

    /**
     * im2col over this storage's [N, C, H, W] images into {@code out}, [N, C, kh, kw, oh, ow] columns (zeros where the
     * window reads padding); with {@code back}, its adjoint: the columns in {@code out} added into these images.
     * NOTE: a loop nest of its own rather than {@link #gather} and a padded copy: the rows here are a few pixels
     * long, where gather's per-row bookkeeping took most of a DCGAN round (DcganStepBenchmark; JFR)
     */
    abstract void im2col(Im2col geometry, Storage out, boolean back);

    /**
     * The sizes of an im2col: images [n, c, h, w], kernel, dilation, padding, stride, output oh x ow; the columns are
     * [n, c kh kw, oh ow], or [c kh kw, n oh ow] when batch-major (one matrix over the batch).
     */
    record Im2col(int n, int c, int h, int w, int kh, int kw, int dh, int dw, int ph, int pw, int sh, int sw,
                  int oh, int ow, boolean batchMajor) {
        /** The first output column whose pixel for kernel column j is inside the image. */
        int firstInside(int j) {
            int shift = j * dw - pw;
            return shift >= 0 ? 0 : Math.min(ow, (-shift + sw - 1) / sw);
        }

        /** One past the last output column whose pixel for kernel column j is inside the image. */
        int endInside(int j) {
            int shift = j * dw - pw;
            int last = (w - 1 - shift);
            return last < 0 ? 0 : Math.min(ow, last / sw + 1);
        }
    }

    /** Sum over the middle axis of a contiguous {@code [outer, len, inner]} view into {@code out[outer, inner]}. */
    abstract void sumAxis(int outer, int len, int inner, Storage out);

    /** Max over the middle axis of {@code [outer, len, inner]}; the first maximum's index goes to {@code argOut}. */
    abstract void maxAxis(int outer, int len, int inner, Storage out, int[] argOut);

    /** Sum of all elements, accumulated in double precision. */
    abstract double sum();

    /** {@code this += alpha * x}, elementwise over equal lengths. */
    abstract void axpy(double alpha, Storage x);

    /** {@code this *= alpha}. */
    abstract void scale(double alpha);

    /** Copies {@code this} (of length n) into each of the {@code rows} rows of {@code out}. */
    final void tileRows(int rows, Storage out) {
        int n = length();
        if (n == 1) { // a scalar: one fill, not a copy call per element
            out.fill(get(0));
            return;
        }
        for (int r = 0; r < rows; r++) {
            System.arraycopy(array(), 0, out.array(), r * n, n);
        }
    }

    /**
     * Row-major {@code c = alpha * op(a) op(b) + beta * c} with {@code op(a)} of shape [m, k] and
     * {@code op(b)} of shape [k, n]; {@code lda}, {@code ldb} are the row lengths of a and b as stored.
     */
    abstract void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                       Storage a, int lda, Storage b, int ldb, double beta, Storage c);

    /**
     * Walks a row-major index over {@code dims} with two strided offsets and calls {@code body}
     * once per run of the last axis: the shared loop skeleton of the strided kernels. Axes of size 1 are
     * skipped and an axis joins the next when stepping it once is stepping the next through its whole size in
     * both operands (say [N, 1, 1, 1] broadcast to [N, C, H, W]: rows of C H W at stride 0, not of W).
     */
    static void forEachRow(int[] dims, int[] sa, int[] sb, RowBody body) {
        int[] d = new int[dims.length];
        int[] a = new int[dims.length];
        int[] b = new int[dims.length];
        int r = 0;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == 0) {
                return;
            }
            if (dims[i] == 1) {
                continue;
            }
            int bi = sb == null ? 0 : sb[i];
            if (r > 0 && a[r - 1] == sa[i] * dims[i] && b[r - 1] == bi * dims[i]) {
                d[r - 1] *= dims[i];
                a[r - 1] = sa[i];
                b[r - 1] = bi;
            } else {
                d[r] = dims[i];
                a[r] = sa[i];
                b[r] = bi;
                r++;
            }
        }
        if (r == 0) {
            body.row(0, 0, 0, 1, 0, 0);
            return;
        }
        int inner = d[r - 1];
        int rows = 1;
        for (int i = 0; i < r - 1; i++) {
            rows *= d[i];
        }
        int[] idx = new int[r - 1];
        int offA = 0;
        int offB = 0;
        for (int row = 0; row < rows; row++) {
            body.row(row * inner, offA, offB, inner, a[r - 1], b[r - 1]);
            for (int ax = r - 2; ax >= 0; ax--) {
                idx[ax]++;
                offA += a[ax];
                offB += b[ax];
                if (idx[ax] < d[ax]) {
                    break;
                }
                offA -= a[ax] * d[ax];
                offB -= b[ax] * d[ax];
                idx[ax] = 0;
            }
        }
    }

    /** One run of the last axis: output from {@code outStart}, inputs from their offsets with their strides. */
    @FunctionalInterface
    interface RowBody {
        void row(int outStart, int offA, int offB, int n, int strideA, int strideB);
    }
}
