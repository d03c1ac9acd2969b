package org.autodiff4j.tensor;

import java.util.Arrays;

/**
 * A dense, row-major array of float32 or float64 numbers with a {@link Shape}: plain data, no
 * graph. Ops return new tensors and leave their operands alone; methods whose names end in
 * {@code i} ({@link #addi}, {@link #muli}, ...) modify this tensor in place and return it, for
 * optimisers and the library's own hot paths. Binary elementwise ops broadcast with NumPy/PyTorch
 * rules and compute in the wider dtype of their operands. Shape errors throw {@link ShapeException}
 * naming the op and both shapes.
 */
public final class Tensor {
    private final Shape shape;
    final Storage storage;

    Tensor(Shape shape, Storage storage) {
        if (shape.size() != storage.length()) {
            throw new IllegalStateException("storage of " + storage.length() + " elements for shape " + shape);
        }
        this.shape = shape;
        this.storage = storage;
    }

    // ---------------------------------------------------------------- creation

    /**
     * Zeros of the given dtype and dimensions.
     *
     * @param dtype the element type
     * @param dims the dimensions
     * @return zeros of the given dtype and dimensions
     */
    public static Tensor zeros(DType dtype, int... dims) {
        Shape s = Shape.of(dims);
        return new Tensor(s, Storage.zeros(dtype, s.size()));
    }

    /**
     * Zeros of the given shape and dtype.
     *
     * @param shape the shape
     * @param dtype the element type
     * @return zeros of the given shape and dtype
     */
    public static Tensor zeros(Shape shape, DType dtype) {
        return zeros(dtype, shape.dims());
    }

    /**
     * Ones of the given dtype and dimensions.
     *
     * @param dtype the element type
     * @param dims the dimensions
     * @return ones of the given dtype and dimensions
     */
    public static Tensor ones(DType dtype, int... dims) {
        return full(1.0, dtype, dims);
    }

    /**
     * Every element {@code value}.
     *
     * @param value the value of every element
     * @param dtype the element type
     * @param dims the dimensions
     * @return every element {@code value}
     */
    public static Tensor full(double value, DType dtype, int... dims) {
        Tensor t = zeros(dtype, dims);
        t.storage.fill(value);
        return t;
    }

    /**
     * A rank-0 tensor holding {@code value}.
     *
     * @param value the element
     * @param dtype the element type
     * @return a rank-0 tensor holding {@code value}
     */
    public static Tensor scalar(double value, DType dtype) {
        return full(value, dtype);
    }

    /**
     * A float32 tensor over {@code data} itself, without a copy (as {@code torch.from_numpy}): the tensor
     * takes the array over and the caller must not change it afterwards.
     *
     * @param data the elements in row-major order
     * @param dims the dimensions
     * @return a float32 tensor over {@code data} itself, without a copy (as {@code torch.from_numpy})
     * @throws ShapeException when the length is not the shape's size
     */
    public static Tensor wrap(float[] data, int... dims) {
        return new Tensor(checkedShape(data.length, dims), new F32Storage(data));
    }

    /**
     * A float32 tensor with a copy of {@code data} in row-major order; throws if the length is not the shape's size.
     *
     * @param data the elements in row-major order
     * @param dims the dimensions
     * @return a float32 tensor with a copy of {@code data} in row-major order
     */
    public static Tensor of(float[] data, int... dims) {
        Shape s = checkedShape(data.length, dims);
        return new Tensor(s, new F32Storage(data.clone()));
    }

    /**
     * A float64 tensor with a copy of {@code data} in row-major order; throws if the length is not the shape's size.
     *
     * @param data the elements in row-major order
     * @param dims the dimensions
     * @return a float64 tensor with a copy of {@code data} in row-major order
     */
    public static Tensor of(double[] data, int... dims) {
        Shape s = checkedShape(data.length, dims);
        return new Tensor(s, new F64Storage(data.clone()));
    }

    /**
     * A tensor of {@code dtype} holding {@code data} in row-major order.
     *
     * @param dtype the element type
     * @param data the elements in row-major order
     * @param dims the dimensions
     * @return a tensor of {@code dtype} holding {@code data} in row-major order
     */
    public static Tensor of(DType dtype, double[] data, int... dims) {
        return of(data, dims).to(dtype);
    }

    /**
     * A [rows, columns] tensor from an array of equally long rows.
     *
     * @param rows the rows, all of one length
     * @param dtype the element type
     * @return a [rows, columns] tensor from an array of equally long rows
     */
    public static Tensor of(double[][] rows, DType dtype) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        double[] flat = new double[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("of: row " + i + " has " + rows[i].length
                        + " elements, row 0 has " + cols);
            }
            System.arraycopy(rows[i], 0, flat, i * cols, cols);
        }
        return of(dtype, flat, rows.length, cols);
    }

    private static Shape checkedShape(int length, int[] dims) {
        Shape s = Shape.of(dims);
        if (s.size() != length) {
            throw new ShapeException("of: " + length + " values cannot fill shape " + s + " (" + s.size() + " elements)");
        }
        return s;
    }

    /**
     * One row per label with a 1 in the label's column: [labels.length, classes].
     *
     * @param labels class labels, one per row
     * @param classes the number of classes
     * @param dtype the element type
     * @return one row per label with a 1 in the label's column
     * @throws IllegalArgumentException when a label is outside [0, classes)
     */
    public static Tensor oneHot(int[] labels, int classes, DType dtype) {
        Tensor t = zeros(dtype, labels.length, classes);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("oneHot: label " + labels[i] + " at index " + i
                        + " is outside [0, " + classes + ")");
            }
            t.storage.set(i * classes + labels[i], 1.0);
        }
        return t;
    }

    /**
     * The n x n identity matrix.
     *
     * @param n the number of rows and columns
     * @param dtype the element type
     * @return the n x n identity matrix
     */
    public static Tensor eye(int n, DType dtype) {
        Tensor t = zeros(dtype, n, n);
        for (int i = 0; i < n; i++) {
            t.storage.set(i * n + i, 1.0);
        }
        return t;
    }

    /**
     * Uniform samples on [lo, hi).
     *
     * @param g the generator to draw from
     * @param lo the lower bound
     * @param hi the upper bound
     * @param dtype the element type
     * @param dims the dimensions
     * @return uniform samples on [lo, hi)
     */
    public static Tensor uniform(Generator g, double lo, double hi, DType dtype, int... dims) {
        Tensor t = zeros(dtype, dims);
        for (int i = 0; i < t.size(); i++) {
            t.storage.set(i, lo + (hi - lo) * g.nextDouble());
        }
        return t;
    }

    /**
     * Uniform samples on [0, 1).
     *
     * @param g the generator to draw from
     * @param dtype the element type
     * @param dims the dimensions
     * @return uniform samples on [0, 1)
     */
    public static Tensor rand(Generator g, DType dtype, int... dims) {
        return uniform(g, 0.0, 1.0, dtype, dims);
    }

    /**
     * Standard normal samples.
     *
     * @param g the generator to draw from
     * @param dtype the element type
     * @param dims the dimensions
     * @return standard normal samples
     */
    public static Tensor randn(Generator g, DType dtype, int... dims) {
        Tensor t = zeros(dtype, dims);
        int n = t.size();
        if (n < 2 * RANDN_CHUNK) {
            fillGaussian(t.storage, g, 0, n);
            return t;
        }
        // NOTE: a large tensor is filled in chunks of RANDN_CHUNK, each from a generator split from g in
        // order, on the elementwise threads: the numbers depend on g and the size, never on the thread count.
        // The GAN's instance noise (three 64x784 draws per round) took 9% of its time on one thread.
        int chunks = (n + RANDN_CHUNK - 1) / RANDN_CHUNK;
        Generator[] streams = new Generator[chunks];
        for (int c = 0; c < chunks; c++) {
            streams[c] = g.split();
        }
        Parallelism.forRange(chunks, 1, (from, to) -> {
            for (int c = from; c < to; c++) {
                fillGaussian(t.storage, streams[c], c * RANDN_CHUNK, Math.min(n, (c + 1) * RANDN_CHUNK));
            }
        });
        return t;
    }

    private static final int RANDN_CHUNK = 1 << 14;

    private static void fillGaussian(Storage s, Generator g, int from, int to) {
        if (s instanceof F32Storage f) { // NOTE: straight into the array: 17 -> 13 ns a draw, the same values
            float[] data = f.data;
            for (int i = from; i < to; i++) {
                data[i] = (float) g.nextGaussian();
            }
            return;
        }
        for (int i = from; i < to; i++) {
            s.set(i, g.nextGaussian());
        }
    }

    /**
     * Bernoulli draws: 1 with probability given by each element of this tensor, else 0.
     *
     * @param g the generator to draw from
     * @return a tensor of 0s and 1s of this shape
     * @throws IllegalArgumentException when an element is outside [0, 1]
     */
    public Tensor bernoulli(Generator g) {
        Tensor out = zeros(dtype(), shape.dimsView());
        for (int i = 0; i < size(); i++) {
            double p = storage.get(i);
            if (!(p >= 0.0 && p <= 1.0)) {
                throw new IllegalArgumentException("bernoulli: probability " + p + " at flat index " + i
                        + " is outside [0, 1]");
            }
            out.storage.set(i, g.nextDouble() < p ? 1.0 : 0.0);
        }
        return out;
    }

    // ---------------------------------------------------------------- accessors

    /**
     * The dimensions.
     *
     * @return the dimensions
     */
    public Shape shape() {
        return shape;
    }

    /**
     * The element type.
     *
     * @return the element type
     */
    public DType dtype() {
        return storage.dtype();
    }

    /**
     * Number of axes.
     *
     * @return number of axes
     */
    public int rank() {
        return shape.rank();
    }

    /**
     * Number of elements.
     *
     * @return number of elements
     */
    public int size() {
        return storage.length();
    }

    /**
     * The only element of a one-element tensor; throws otherwise.
     *
     * @return the only element of a one-element tensor
     */
    public double item() {
        if (size() != 1) {
            throw new ShapeException("item: tensor of shape " + shape + " has " + size() + " elements, not 1");
        }
        return storage.get(0);
    }

    /**
     * The element at a full index (one coordinate per axis).
     *
     * @param index one coordinate per axis
     * @return the element at a full index (one coordinate per axis)
     */
    public double get(int... index) {
        return storage.get(flatIndex(index));
    }

    /**
     * The element at a row-major flat index.
     *
     * @param flatIndex the row-major flat index
     * @return the element at a row-major flat index
     */
    public double getFlat(int flatIndex) {
        checkFlat(flatIndex, "getFlat");
        return storage.get(flatIndex);
    }

    /**
     * Sets the element at a row-major flat index, in place; returns this.
     *
     * @param flatIndex the row-major flat index
     * @param value the value
     * @return this tensor
     */
    public Tensor puti(int flatIndex, double value) {
        checkFlat(flatIndex, "puti");
        storage.set(flatIndex, value);
        storage.bumpVersion();
        return this;
    }

    private void checkFlat(int flatIndex, String op) {
        if (flatIndex < 0 || flatIndex >= size()) {
            throw new IndexOutOfBoundsException(op + ": flat index " + flatIndex + " is out of bounds for shape "
                    + shape + " (" + size() + " elements)");
        }
    }

    private int flatIndex(int[] index) {
        if (index.length != rank()) {
            throw new IllegalArgumentException("get: index " + Arrays.toString(index) + " has " + index.length
                    + " coordinates, shape " + shape + " has rank " + rank());
        }
        int flat = 0;
        int[] strides = shape.strides();
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape.dimsView()[i]) {
                throw new IndexOutOfBoundsException("get: index " + Arrays.toString(index)
                        + " is out of bounds for shape " + shape);
            }
            flat += index[i] * strides[i];
        }
        return flat;
    }

    /**
     * The row-major index of the first NaN or infinite element, or -1 when every element is finite.
     *
     * @return the row-major index of the first NaN or infinite element, or -1 when every element is finite
     */
    public int firstNonFinite() {
        for (int i = 0; i < size(); i++) {
            if (!Double.isFinite(storage.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * How many times this tensor's elements were changed in place (by the {@code *i} methods, on this tensor or
     * another over the same elements), as PyTorch's {@code _version}: autograd uses it to detect a value saved
     * for backward that was changed before backward ran.
     *
     * @return the number of in-place changes so far
     */
    public int version() {
        return storage.version();
    }

    /**
     * A copy of the elements in row-major order, as doubles.
     *
     * @return a copy of the elements in row-major order, as doubles
     */
    public double[] toDoubleArray() {
        return ((F64Storage) storage.to(DType.FLOAT64).copy()).data;
    }

    /**
     * A copy of the elements in row-major order, as floats.
     *
     * @return a copy of the elements in row-major order, as floats
     */
    public float[] toFloatArray() {
        return ((F32Storage) storage.to(DType.FLOAT32).copy()).data;
    }

    /**
     * This tensor in {@code dtype}: itself when it already has that dtype, else a converted copy.
     *
     * @param dtype the element type
     * @return this tensor in {@code dtype}
     */
    public Tensor to(DType dtype) {
        return dtype == dtype() ? this : new Tensor(shape, storage.to(dtype));
    }

    /**
     * An independent copy.
     *
     * @return an independent copy
     */
    public Tensor copy() {
        return new Tensor(shape, storage.copy());
    }

    // ---------------------------------------------------------------- elementwise

    /**
     * A new tensor computed element by element by {@code f} from this tensor and {@code others}
     * (operand 0 is the output, 1 this tensor, 2 onwards {@code others}; see {@link Elementwise}):
     * the operands broadcast to one shape and compute in the widest of their dtypes, which the output
     * takes. For example {@code x.map(Elementwise.unary(Math::sin))}.
     *
     * @param f the computation
     * @param others the further inputs
     * @return the output
     * @throws ShapeException when the shapes do not broadcast
     */
    public Tensor map(Elementwise f, Tensor... others) {
        return map("map", f, others);
    }

    /**
     * {@link #map(Elementwise, Tensor...)} with the op's name for error messages.
     *
     * @param op the op's name, for error messages
     * @param f the computation
     * @param others the further inputs
     * @return the output
     * @throws ShapeException when the shapes do not broadcast
     */
    public Tensor map(String op, Elementwise f, Tensor... others) {
        Shape outShape = shape;
        DType dt = dtype();
        for (Tensor t : others) {
            outShape = outShape.broadcastWith(t.shape, op);
            dt = DType.promote(dt, t.dtype());
        }
        Storage[] operands = new Storage[others.length + 2];
        operands[0] = Storage.zeros(dt, outShape.size());
        operands[1] = operand(this, outShape, dt);
        for (int k = 0; k < others.length; k++) {
            operands[k + 2] = operand(others[k], outShape, dt);
        }
        Storage.elementwise(f, operands, false);
        return new Tensor(outShape, operands[0]);
    }

    /**
     * {@code t}'s storage as an operand of {@code shape} and {@code dtype}: itself when it has both, else
     * a broadcast or converted copy.
     * NOTE: broadcasting materialises the operand, then runs the same-shape loop: ElementwiseBenchmark.biasAdd
     * took 151 us through a strided generic loop.
     */
    private static Storage operand(Tensor t, Shape shape, DType dtype) {
        Tensor b = t.shape.equals(shape) ? t : t.broadcastTo(shape);
        return b.storage.to(dtype);
    }

    /** Strides that read {@code from} as if it had shape {@code to}: 0 along broadcast axes. */
    private static int[] broadcastStrides(Shape from, Shape to) {
        int[] s = new int[to.rank()];
        int[] fs = from.strides();
        int offset = to.rank() - from.rank();
        for (int i = 0; i < from.rank(); i++) {
            s[offset + i] = from.dimsView()[i] == 1 ? 0 : fs[i];
        }
        return s;
    }

    /**
     * Elementwise sum, broadcasting.
     *
     * @param other the other operand
     * @return elementwise sum, broadcasting
     */
    public Tensor add(Tensor other) {
        return map("add", Kernels.ADD, other);
    }

    /**
     * Elementwise difference, broadcasting.
     *
     * @param other the other operand
     * @return elementwise difference, broadcasting
     */
    public Tensor sub(Tensor other) {
        return map("sub", Kernels.SUB, other);
    }

    /**
     * Elementwise product, broadcasting.
     *
     * @param other the other operand
     * @return elementwise product, broadcasting
     */
    public Tensor mul(Tensor other) {
        return map("mul", Kernels.MUL, other);
    }

    /**
     * Elementwise quotient, broadcasting.
     *
     * @param other the other operand
     * @return elementwise quotient, broadcasting
     */
    public Tensor div(Tensor other) {
        return map("div", Kernels.DIV, other);
    }

    /**
     * Adds a constant.
     *
     * @param c the constant
     * @return {@code this + c}
     */
    public Tensor add(double c) {
        return map(Kernels.affine(1, c));
    }

    /**
     * Multiplies by a constant.
     *
     * @param c the constant
     * @return {@code this * c}
     */
    public Tensor mul(double c) {
        return map(Kernels.affine(c, 0));
    }

    /**
     * Negation.
     *
     * @return negation
     */
    public Tensor neg() {
        return map(Kernels.NEG);
    }

    /**
     * e^x.
     *
     * @return e^x
     */
    public Tensor exp() {
        return map(Kernels.EXP);
    }

    /**
     * Natural logarithm (NaN below 0, -infinity at 0).
     *
     * @return natural logarithm (NaN below 0, -infinity at 0)
     */
    public Tensor log() {
        return map(Kernels.LOG);
    }

    /**
     * log(1 + x), accurate near 0.
     *
     * @return log(1 + x), accurate near 0
     */
    public Tensor log1p() {
        return map(Kernels.LOG1P);
    }

    /**
     * Hyperbolic tangent.
     *
     * @return hyperbolic tangent
     */
    public Tensor tanh() {
        return map(Kernels.TANH);
    }

    /**
     * Logistic sigmoid 1 / (1 + e^-x), computed without overflow for any x.
     *
     * @return logistic sigmoid 1 / (1 + e^-x), computed without overflow for any x
     */
    public Tensor sigmoid() {
        return map(Kernels.SIGMOID);
    }

    /**
     * max(x, 0).
     *
     * @return max(x, 0)
     */
    public Tensor relu() {
        return map(Kernels.RELU);
    }

    /**
     * x for x >= 0, slope * x below.
     *
     * @param slope the slope for negative inputs
     * @return x for x >= 0, slope * x below
     */
    public Tensor leakyRelu(double slope) {
        return map(Kernels.leakyRelu(slope));
    }

    /**
     * log(1 + e^x) in the stable form max(x, 0) + log1p(e^-|x|): no overflow for any x.
     *
     * @return log(1 + e^x) in the stable form max(x, 0) + log1p(e^-|x|)
     */
    public Tensor softplus() {
        return map(Kernels.SOFTPLUS);
    }

    /**
     * x^2.
     *
     * @return x^2
     */
    public Tensor square() {
        return map(Kernels.SQUARE);
    }

    /**
     * Square root (NaN below 0).
     *
     * @return square root (NaN below 0)
     */
    public Tensor sqrt() {
        return map(Kernels.SQRT);
    }

    /**
     * x^p.
     *
     * @param p the exponent
     * @return x^p
     */
    public Tensor pow(double p) {
        return p == 2.0 ? square() : map(Kernels.pow(p));
    }

    /**
     * |x|.
     *
     * @return |x|
     */
    public Tensor abs() {
        return map(Kernels.ABS);
    }

    /**
     * Each element limited to [lo, hi]; use infinities for a one-sided clamp.
     *
     * @param lo the lower bound
     * @param hi the upper bound
     * @return each element limited to [lo, hi]
     */
    public Tensor clamp(double lo, double hi) {
        if (lo > hi) {
            throw new IllegalArgumentException("clamp: lo " + lo + " is greater than hi " + hi);
        }
        return map(Kernels.clamp(lo, hi));
    }

    // ---------------------------------------------------------------- linear algebra and shape

    /**
     * Matrix product of two rank-2 tensors.
     *
     * @param other the other operand
     * @return matrix product of two rank-2 tensors
     */
    public Tensor matMul(Tensor other) {
        return matMul(other, false, false);
    }

    /**
     * {@code op(this) op(other)} where {@code op} transposes when its flag is set, computed by BLAS
     * gemm without transposed copies; [m, k] x [k, n] gives [m, n].
     *
     * @param other the other operand
     * @param transA whether the left operand is transposed
     * @param transB whether the right operand is transposed
     * @return {@code op(this) op(other)} where {@code op} transposes when its flag is set, computed by BLAS gemm without transposed copies
     * @throws ShapeException when an operand is not rank 2 or the inner dimensions differ
     */
    public Tensor matMul(Tensor other, boolean transA, boolean transB) {
        int[] mn = productShape(other, transA, transB);
        DType dt = DType.promote(dtype(), other.dtype());
        return gemm(other, transA, transB, new Tensor(Shape.of(mn[0], mn[1]), Storage.zeros(dt, mn[0] * mn[1])));
    }

    /**
     * {@code op(this) op(other)} as {@link #matMul(Tensor, boolean, boolean)}, written into {@code out}
     * (whose old values are not read) instead of a new tensor: PyTorch's {@code matmul(..., out=)}.
     *
     * @param other the other operand
     * @param transA whether the left operand is transposed
     * @param transB whether the right operand is transposed
     * @param out where the product goes: [m, n], of the operands' wider dtype, sharing storage with neither
     * @return {@code out}
     * @throws ShapeException when the operands do not fit, or out is not the product's shape
     * @throws IllegalArgumentException when out has another dtype or is one of the operands
     */
    public Tensor matMul(Tensor other, boolean transA, boolean transB, Tensor out) {
        int[] mn = productShape(other, transA, transB);
        if (!out.shape.equals(Shape.of(mn[0], mn[1]))) {
            throw new ShapeException("matMul: " + shape + (transA ? "^T" : "") + " x " + other.shape
                    + (transB ? "^T" : "") + " is [" + mn[0] + ", " + mn[1] + "], not out's " + out.shape);
        }
        DType dt = DType.promote(dtype(), other.dtype());
        if (out.dtype() != dt) {
            throw new IllegalArgumentException("matMul: the product is " + dt + ", out is " + out.dtype());
        }
        if (out.storage == storage || out.storage == other.storage) {
            throw new IllegalArgumentException("matMul: out must not be an operand");
        }
        gemm(other, transA, transB, out);
        out.storage.bumpVersion();
        return out;
    }

    /** [m, n] of {@code op(this) op(other)}, or a ShapeException naming both shapes. */
    private int[] productShape(Tensor other, boolean transA, boolean transB) {
        String a = shape + (transA ? "^T" : "");
        String b = other.shape + (transB ? "^T" : "");
        if (rank() != 2 || other.rank() != 2) {
            throw new ShapeException("matMul: " + a + " x " + b + ": both operands must have rank 2");
        }
        int k = transA ? shape.dimsView()[0] : shape.dimsView()[1];
        int k2 = transB ? other.shape.dimsView()[1] : other.shape.dimsView()[0];
        if (k != k2) {
            throw new ShapeException("matMul: " + a + " x " + b + ": inner dimensions " + k + " and " + k2 + " differ");
        }
        return new int[] {transA ? shape.dimsView()[1] : shape.dimsView()[0],
                          transB ? other.shape.dimsView()[0] : other.shape.dimsView()[1]};
    }

    /** {@code out = op(this) op(other)} by one gemm; out has the product's shape and dtype. */
    private Tensor gemm(Tensor other, boolean transA, boolean transB, Tensor out) {
        int m = out.shape.dimsView()[0];
        int n = out.shape.dimsView()[1];
        int k = transA ? shape.dimsView()[0] : shape.dimsView()[1];
        DType dt = out.dtype();
        out.storage.gemm(transA, transB, m, n, k, 1.0, storage.to(dt), shape.dimsView()[1], other.storage.to(dt),
                other.shape.dimsView()[1], 0.0, out.storage);
        return out;
    }

    /**
     * {@code this weight^T + bias} for this [m, k], weight [n, k] and bias [n]: a linear layer's map in one
     * gemm, accumulated onto rows that start as the bias; [m, n], in the widest dtype.
     *
     * @param weight the weight [out, in]
     * @param bias the bias [out]
     * @return {@code this weight^T + bias} for this [m, k], weight [n, k] and bias [n]
     * @throws ShapeException naming the three shapes when they do not fit
     */
    public Tensor linear(Tensor weight, Tensor bias) {
        if (rank() != 2 || weight.rank() != 2 || bias.rank() != 1 || shape.dimsView()[1] != weight.shape.dimsView()[1]
                || bias.shape.dimsView()[0] != weight.shape.dimsView()[0]) {
            throw new ShapeException("linear: input " + shape + ", weight " + weight.shape + ", bias " + bias.shape
                    + ": expected [m, k], [n, k] and [n]");
        }
        int m = shape.dimsView()[0];
        int k = shape.dimsView()[1];
        int n = weight.shape.dimsView()[0];
        DType dt = DType.promote(DType.promote(dtype(), weight.dtype()), bias.dtype());
        Tensor out = new Tensor(Shape.of(m, n), Storage.zeros(dt, m * n));
        bias.storage.to(dt).tileRows(m, out.storage);
        out.storage.gemm(false, true, m, n, k, 1.0, storage.to(dt), k, weight.storage.to(dt), k, 1.0, out.storage);
        return out;
    }

    /**
     * {@code scale * this + shift} in one pass.
     *
     * @param scale the factor
     * @param shift the offset
     * @return {@code scale * this + shift} in one pass
     */
    public Tensor affine(double scale, double shift) {
        return map(Kernels.affine(scale, shift));
    }

    /**
     * Swaps the last two axes (a rank-0 or rank-1 tensor is returned as is, like PyTorch's {@code .T}).
     *
     * @return this tensor with its last two axes swapped
     */
    public Tensor transpose() {
        return rank() < 2 ? this : transpose(rank() - 2, rank() - 1);
    }

    /**
     * Swaps two axes.
     *
     * @param axis1 the first axis
     * @param axis2 the second axis
     * @return this tensor with the two axes swapped
     */
    public Tensor transpose(int axis1, int axis2) {
        int a1 = shape.normalizeAxis(axis1, "transpose");
        int a2 = shape.normalizeAxis(axis2, "transpose");
        int[] dims = shape.dims();
        int[] strides = shape.strides();
        swap(dims, a1, a2);
        swap(strides, a1, a2);
        Storage out = storage.empty(size());
        storage.gather(dims, strides, 0, out);
        return new Tensor(Shape.of(dims), out);
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    /**
     * The same elements in a new shape of equal size (a copy).
     *
     * @param dims the dimensions
     * @return the same elements in a new shape of equal size (a copy)
     */
    public Tensor reshape(int... dims) {
        Shape s = Shape.of(dims);
        if (s.size() != size()) {
            throw new ShapeException("reshape: cannot reshape " + shape + " (" + size() + " elements) to " + s
                    + " (" + s.size() + " elements)");
        }
        return new Tensor(s, storage.copy());
    }

    /**
     * This tensor repeated along broadcast axes to {@code target} (PyTorch's {@code expand}, as a copy).
     *
     * @param target the shape to broadcast to
     * @return this tensor repeated along broadcast axes to {@code target} (PyTorch's {@code expand}, as a copy)
     */
    public Tensor broadcastTo(Shape target) {
        if (!shape.broadcastsTo(target)) {
            throw new ShapeException("broadcastTo: " + shape + " cannot be broadcast to " + target);
        }
        Storage out = storage.empty(target.size());
        int lead = target.rank() - rank();
        if (shape.equals(Shape.of(java.util.Arrays.copyOfRange(target.dimsView(), lead, target.rank())))) {
            storage.tileRows(target.size() / Math.max(1, size()), out); // a bias-like suffix: whole-row copies
        } else {
            storage.gather(target.dimsView(), broadcastStrides(shape, target), 0, out);
        }
        return new Tensor(target, out);
    }

    /**
     * Sums over the axes that broadcasting expanded, so that the result has shape {@code target}: the
     * gradient of {@link #broadcastTo}.
     *
     * @param target the shape to sum down to
     * @return the sums, of shape {@code target}
     */
    public Tensor sumTo(Shape target) {
        if (!target.broadcastsTo(shape)) {
            throw new ShapeException("sumTo: " + shape + " cannot be summed to " + target);
        }
        Tensor t = this;
        int lead = rank() - target.rank();
        for (int axis = 0; axis < rank(); axis++) {
            boolean expanded = axis < lead || (target.dimsView()[axis - lead] == 1 && shape.dimsView()[axis] != 1);
            if (expanded) {
                t = t.sum(axis, true);
            }
        }
        return t.shape.equals(target) ? t : new Tensor(target, t.storage);
    }

    /**
     * {@code length} entries of one axis starting at {@code start} (a copy).
     *
     * @param axis the axis (negative values count from the end)
     * @param start the first index taken along that axis
     * @param length how many entries are taken
     * @return {@code length} entries of one axis starting at {@code start} (a copy)
     */
    public Tensor narrow(int axis, int start, int length) {
        int a = shape.normalizeAxis(axis, "narrow");
        int n = shape.dimsView()[a];
        if (start < 0 || length < 0 || start + length > n) {
            throw new IndexOutOfBoundsException("narrow: [" + start + ", " + (start + length) + ") is outside axis "
                    + a + " of shape " + shape + " (size " + n + ")");
        }
        Shape outShape = shape.withDim(a, length);
        Storage out = storage.empty(outShape.size());
        int outer = shape.sizeBefore(a);
        int inner = shape.sizeAfter(a);
        for (int p = 0; p < outer; p++) {
            System.arraycopy(storage.array(), (p * n + start) * inner, out.array(), p * length * inner, length * inner);
        }
        return new Tensor(outShape, out);
    }

    /**
     * Rows {@code from} (inclusive) to {@code to} (exclusive) along axis 0: a mini-batch.
     *
     * @param from the start, inclusive
     * @param to the end, exclusive
     * @return rows {@code from} (inclusive) to {@code to} (exclusive) along axis 0
     */
    public Tensor sliceRows(int from, int to) {
        if (rank() == 0) {
            throw new ShapeException("sliceRows: a scalar has no rows");
        }
        return narrow(0, from, to - from);
    }

    /**
     * The rows at the given indices along axis 0, in that order (a shuffled mini-batch).
     *
     * @param rows the row indices to take
     * @return the rows at the given indices along axis 0, in that order (a shuffled mini-batch)
     */
    public Tensor indexRows(int[] rows) {
        if (rank() == 0) {
            throw new ShapeException("indexRows: a scalar has no rows");
        }
        int n = shape.dimsView()[0];
        int inner = shape.sizeAfter(0);
        Shape outShape = shape.withDim(0, rows.length);
        Storage out = storage.empty(outShape.size());
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= n) {
                throw new IndexOutOfBoundsException("indexRows: row " + rows[i] + " is out of bounds for shape " + shape);
            }
            System.arraycopy(storage.array(), rows[i] * inner, out.array(), i * inner, inner);
        }
        return new Tensor(outShape, out);
    }

    /**
     * Joins tensors along an existing axis; all other dimensions must agree. Computes in the widest dtype.
     *
     * @param axis the axis to join along
     * @param parts the tensors to join
     * @return the joined tensor
     * @throws ShapeException naming the first tensor whose shape does not fit
     */
    public static Tensor concat(int axis, Tensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("concat: no tensors given");
        }
        Shape first = parts[0].shape;
        int a = first.normalizeAxis(axis, "concat");
        DType dt = parts[0].dtype();
        int total = 0;
        for (int i = 0; i < parts.length; i++) {
            Shape s = parts[i].shape;
            if (s.rank() != first.rank() || !s.withDim(a, 1).equals(first.withDim(a, 1))) {
                throw new ShapeException("concat: along axis " + a + ": tensor " + i + " has shape " + s
                        + ", tensor 0 has shape " + first);
            }
            total += s.dimsView()[a];
            dt = DType.promote(dt, parts[i].dtype());
        }
        Shape outShape = first.withDim(a, total);
        Storage out = Storage.zeros(dt, outShape.size());
        int outer = first.sizeBefore(a);
        int inner = first.sizeAfter(a);
        int offset = 0;
        for (Tensor t : parts) {
            int block = t.shape.dimsView()[a] * inner;
            Object src = t.storage.to(dt).array();
            for (int p = 0; p < outer; p++) {
                System.arraycopy(src, p * block, out.array(), p * total * inner + offset, block);
            }
            offset += block;
        }
        return new Tensor(outShape, out);
    }

    // ---------------------------------------------------------------- reductions

    /**
     * Sum of all elements as a rank-0 tensor.
     *
     * @return sum of all elements as a rank-0 tensor
     */
    public Tensor sum() {
        return scalar(storage.sum(), dtype());
    }

    /**
     * Sum over one axis; {@code keepDims} keeps it with size 1.
     *
     * @param axis the axis (negative values count from the end)
     * @param keepDims whether the reduced axis stays, with size 1
     * @return sum over one axis
     */
    public Tensor sum(int axis, boolean keepDims) {
        int a = shape.normalizeAxis(axis, "sum");
        Shape kept = shape.withDim(a, 1);
        Storage out = storage.empty(kept.size());
        storage.sumAxis(shape.sizeBefore(a), shape.dimsView()[a], shape.sizeAfter(a), out);
        return new Tensor(keepDims ? kept : shape.withoutDim(a), out);
    }

    /**
     * Mean of all elements as a rank-0 tensor (NaN when empty).
     *
     * @return mean of all elements as a rank-0 tensor (NaN when empty)
     */
    public Tensor mean() {
        return scalar(storage.sum() / size(), dtype());
    }

    /**
     * Mean over one axis.
     *
     * @param axis the axis (negative values count from the end)
     * @param keepDims whether the reduced axis stays, with size 1
     * @return mean over one axis
     */
    public Tensor mean(int axis, boolean keepDims) {
        int n = shape.dim(axis);
        return sum(axis, keepDims).mul(1.0 / n);
    }

    /**
     * Maximum over one axis (the first maximum when tied; NaN wins).
     *
     * @param axis the axis (negative values count from the end)
     * @param keepDims whether the reduced axis stays, with size 1
     * @return the maximum over one axis (the first when tied; NaN wins)
     */
    public Tensor max(int axis, boolean keepDims) {
        int a = checkedReductionAxis(axis, "max");
        Shape kept = shape.withDim(a, 1);
        Storage out = storage.empty(kept.size());
        storage.maxAxis(shape.sizeBefore(a), shape.dimsView()[a], shape.sizeAfter(a), out, new int[kept.size()]);
        return new Tensor(keepDims ? kept : shape.withoutDim(a), out);
    }

    /**
     * Index of the first maximum along one axis, in row-major order of the remaining axes.
     *
     * @param axis the axis (negative values count from the end)
     * @return index of the first maximum along one axis, in row-major order of the remaining axes
     */
    public int[] argmax(int axis) {
        int a = checkedReductionAxis(axis, "argmax");
        int n = shape.size() / shape.dimsView()[a];
        int[] idx = new int[n];
        storage.maxAxis(shape.sizeBefore(a), shape.dimsView()[a], shape.sizeAfter(a), storage.empty(n), idx);
        return idx;
    }

    /**
     * 1 where an element is the first maximum along {@code axis}, else 0: the derivative of {@link #max}.
     *
     * @param axis the axis (negative values count from the end)
     * @return 1 where an element is the first maximum along {@code axis}, else 0
     */
    public Tensor argmaxMask(int axis) {
        int a = checkedReductionAxis(axis, "argmaxMask");
        int[] idx = argmax(a);
        int len = shape.dimsView()[a];
        int inner = shape.sizeAfter(a);
        Tensor mask = new Tensor(shape, storage.empty(size()));
        for (int r = 0; r < idx.length; r++) {
            int p = r / inner;
            int q = r % inner;
            mask.storage.set((p * len + idx[r]) * inner + q, 1.0);
        }
        return mask;
    }

    private int checkedReductionAxis(int axis, String op) {
        int a = shape.normalizeAxis(axis, op);
        if (shape.dimsView()[a] == 0) {
            throw new ShapeException(op + ": axis " + a + " of shape " + shape + " is empty");
        }
        return a;
    }

    // ---------------------------------------------------------------- in place

    /**
     * {@code this += other}, with {@code other} broadcast to this shape; returns this.
     *
     * @param other the other operand
     * @return this tensor
     */
    public Tensor addi(Tensor other) {
        return axpyi(1.0, other);
    }

    /**
     * {@code this += alpha * other}, with {@code other} broadcast to this shape; returns this.
     *
     * @param alpha the factor applied to other
     * @param other the other operand
     * @return this tensor
     */
    public Tensor axpyi(double alpha, Tensor other) {
        Tensor x = other.shape.equals(shape) ? other : other.broadcastTo(shape);
        storage.axpy(alpha, x.storage.to(dtype()));
        storage.bumpVersion();
        return this;
    }

    /**
     * {@code this *= c}; returns this.
     *
     * @param c the constant
     * @return this tensor
     */
    public Tensor muli(double c) {
        storage.scale(c);
        storage.bumpVersion();
        return this;
    }

    /**
     * Computes {@code f} in place, element by element, as {@link #map(Elementwise, Tensor...)} does
     * but with this tensor as the output: operand 0 is this tensor, 1 its values before the call, 2
     * onwards {@code others} (see {@link Elementwise}); returns this. For example
     * {@code x.mapi(Elementwise.unary(Math::abs))}. {@code others} broadcast to this shape
     * and convert to this dtype; {@code f} may update those that have both in place too (an
     * optimiser's moment buffers).
     *
     * @param f the computation
     * @param others the further operands
     * @return this tensor
     * @throws ShapeException when an operand does not broadcast to this shape
     */
    public Tensor mapi(Elementwise f, Tensor... others) {
        Storage[] operands = new Storage[others.length + 2];
        operands[0] = storage;
        operands[1] = storage;
        for (int k = 0; k < others.length; k++) {
            operands[k + 2] = operand(others[k], shape, dtype());
        }
        Storage.elementwise(f, operands, true);
        for (Storage o : operands) { // f may have written any of them
            o.bumpVersion();
        }
        return this;
    }

    /**
     * Overwrites this tensor's elements with {@code other}'s (same shape); returns this.
     *
     * @param other the tensor to copy from
     * @return this tensor
     */
    public Tensor copyFrom(Tensor other) {
        if (!other.shape.equals(shape)) {
            throw new ShapeException("copyFrom: shapes differ: " + shape + " vs " + other.shape);
        }
        Storage src = other.storage.to(dtype());
        System.arraycopy(src.array(), 0, storage.array(), 0, size());
        storage.bumpVersion();
        return this;
    }

    /**
     * Sets every element to {@code value}; returns this.
     *
     * @param value the value of every element
     * @return this tensor
     */
    public Tensor fill(double value) {
        storage.fill(value);
        storage.bumpVersion();
        return this;
    }

    // ---------------------------------------------------------------- comparison and printing

    /**
     * True when shapes are equal and {@code |a - b| <= atol + rtol * |b|} for every element.
     *
     * @param other the tensor to compare with
     * @param rtol the relative tolerance
     * @param atol the absolute tolerance
     * @return true when shapes are equal and {@code |a - b| <= atol + rtol * |b|} for every element
     */
    public boolean allClose(Tensor other, double rtol, double atol) {
        if (!shape.equals(other.shape)) {
            return false;
        }
        for (int i = 0; i < size(); i++) {
            double a = storage.get(i);
            double b = other.storage.get(i);
            if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b)) && !(a == b)) {
                return false;
            }
        }
        return true;
    }

    /** Like PyTorch: {@code tensor([[1.0, 2.0], [3.0, 4.0]], FLOAT32)}, eliding long axes. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("tensor(");
        appendAxis(sb, 0, 0);
        return sb.append(", ").append(dtype()).append(", shape=").append(shape).append(')').toString();
    }

    private void appendAxis(StringBuilder sb, int axis, int offset) {
        if (axis == rank()) {
            double v = storage.get(offset);
            sb.append(dtype() == DType.FLOAT32 ? Float.toString((float) v) : Double.toString(v));
            return;
        }
        int n = shape.dimsView()[axis];
        int stride = shape.sizeAfter(axis);
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (n > 8 && i == 3) {
                sb.append("..., ");
                i = n - 3;
            }
            appendAxis(sb, axis + 1, offset + i * stride);
            if (i < n - 1) {
                sb.append(", ");
            }
        }
        sb.append(']');
    }
}
