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
// NOTE: over 400 lines: this is the public face of every tensor family, 90-odd methods whose Javadoc is most of the
// file; the work lives in the families behind it (Creation, Movement, Reductions, LinearAlgebra, the Elementwise
// kernels), each under 400 lines
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
        return Creation.zeros(dtype, dims);
    }

    /**
     * Zeros of the given shape and dtype.
     *
     * @param shape the shape
     * @param dtype the element type
     * @return zeros of the given shape and dtype
     */
    public static Tensor zeros(Shape shape, DType dtype) {
        return Creation.zeros(shape, dtype);
    }

    /**
     * Ones of the given dtype and dimensions.
     *
     * @param dtype the element type
     * @param dims the dimensions
     * @return ones of the given dtype and dimensions
     */
    public static Tensor ones(DType dtype, int... dims) {
        return Creation.ones(dtype, dims);
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
        return Creation.full(value, dtype, dims);
    }

    /**
     * A rank-0 tensor holding {@code value}.
     *
     * @param value the element
     * @param dtype the element type
     * @return a rank-0 tensor holding {@code value}
     */
    public static Tensor scalar(double value, DType dtype) {
        return Creation.scalar(value, dtype);
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
        return Creation.wrap(data, dims);
    }

    /**
     * A float32 tensor with a copy of {@code data} in row-major order; throws if the length is not the shape's size.
     *
     * @param data the elements in row-major order
     * @param dims the dimensions
     * @return a float32 tensor with a copy of {@code data} in row-major order
     */
    public static Tensor of(float[] data, int... dims) {
        return Creation.of(data, dims);
    }

    /**
     * A float64 tensor with a copy of {@code data} in row-major order; throws if the length is not the shape's size.
     *
     * @param data the elements in row-major order
     * @param dims the dimensions
     * @return a float64 tensor with a copy of {@code data} in row-major order
     */
    public static Tensor of(double[] data, int... dims) {
        return Creation.of(data, dims);
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
        return Creation.of(dtype, data, dims);
    }

    /**
     * A [rows, columns] tensor from an array of equally long rows.
     *
     * @param rows the rows, all of one length
     * @param dtype the element type
     * @return a [rows, columns] tensor from an array of equally long rows
     */
    public static Tensor of(double[][] rows, DType dtype) {
        return Creation.of(rows, dtype);
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
        return Creation.oneHot(labels, classes, dtype);
    }

    /**
     * The n x n identity matrix.
     *
     * @param n the number of rows and columns
     * @param dtype the element type
     * @return the n x n identity matrix
     */
    public static Tensor eye(int n, DType dtype) {
        return Creation.eye(n, dtype);
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
        return Creation.uniform(g, lo, hi, dtype, dims);
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
        return Creation.rand(g, dtype, dims);
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
        return Creation.randn(g, dtype, dims);
    }

    /**
     * Bernoulli draws: 1 with probability given by each element of this tensor, else 0.
     *
     * @param g the generator to draw from
     * @return a tensor of 0s and 1s of this shape
     * @throws IllegalArgumentException when an element is outside [0, 1]
     */
    public Tensor bernoulli(Generator g) {
        return Creation.bernoulli(this, g);
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
     * Subtracts a constant.
     *
     * @param c the constant
     * @return {@code this - c}
     */
    public Tensor sub(double c) {
        return map(Kernels.affine(1, -c));
    }

    /**
     * Divides by a constant (multiplies by its reciprocal, as the library's other scalar forms do).
     *
     * @param c the constant
     * @return {@code this / c}
     */
    public Tensor div(double c) {
        return map(Kernels.affine(1.0 / c, 0));
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
     * max(x, 0) in place; returns this.
     *
     * @return this tensor
     */
    public Tensor relui() {
        return mapi(Kernels.RELU);
    }

    /**
     * x for x >= 0, slope * x below, in place; returns this.
     *
     * @param slope the slope for negative inputs
     * @return this tensor
     */
    public Tensor leakyRelui(double slope) {
        return mapi(Kernels.leakyRelu(slope));
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
     * Matrix product: [m, k] x [k, n] gives [m, n]; operands of higher rank are batches of matrices whose
     * leading dimensions broadcast, as PyTorch's {@code matmul}: [b..., m, k] x [b..., k, n] gives [b..., m, n].
     *
     * @param other the other operand
     * @return the matrix product
     * @throws ShapeException naming both shapes when an operand has rank below 2, the inner dimensions
     *         differ or the batch dimensions do not broadcast
     */
    public Tensor matMul(Tensor other) {
        return LinearAlgebra.matMul(this, other);
    }

    /**
     * {@code op(this) op(other)} where {@code op} transposes when its flag is set, computed by BLAS
     * gemm without transposed copies; [m, k] x [k, n] gives [m, n].
     *
     * @param other the other operand
     * @param transA whether the left operand is transposed
     * @param transB whether the right operand is transposed
     * @return {@code op(this) op(other)} where {@code op} transposes when its flag is set, computed by BLAS gemm without transposed copies
     * @throws ShapeException when an operand has rank below 2, the inner dimensions differ or the batch
     *         dimensions (those before the last two, for operands of rank 3 or more) do not broadcast
     */
    public Tensor matMul(Tensor other, boolean transA, boolean transB) {
        return LinearAlgebra.matMul(this, other, transA, transB);
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
        return LinearAlgebra.matMul(this, other, transA, transB, out);
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
        return LinearAlgebra.linear(this, weight, bias);
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
        return Movement.transpose(this);
    }

    /**
     * Swaps two axes.
     *
     * @param axis1 the first axis
     * @param axis2 the second axis
     * @return this tensor with the two axes swapped
     */
    public Tensor transpose(int axis1, int axis2) {
        return Movement.transpose(this, axis1, axis2);
    }

    /**
     * The same elements in a new shape of equal size (a copy).
     *
     * @param dims the dimensions
     * @return the same elements in a new shape of equal size (a copy)
     */
    public Tensor reshape(int... dims) {
        return Movement.reshape(this, dims);
    }

    /**
     * The same elements in a new shape of equal size, over this tensor's own storage (PyTorch's {@code view}): no
     * copy, and an in-place change through either tensor shows in both (they share one version counter).
     *
     * @param dims the dimensions
     * @return a tensor of the new shape over this tensor's storage
     * @throws ShapeException when the sizes differ
     */
    public Tensor view(int... dims) {
        return Movement.view(this, dims);
    }

    /**
     * Whether this tensor and {@code other} are over one storage (one is a view of the other, or both of a third),
     * so that an in-place change to either shows in both.
     *
     * @param other the other tensor
     * @return whether they share their storage
     */
    public boolean sharesStorageWith(Tensor other) {
        return storage == other.storage;
    }

    /**
     * This tensor repeated along broadcast axes to {@code target} (PyTorch's {@code expand}, as a copy).
     *
     * @param target the shape to broadcast to
     * @return this tensor repeated along broadcast axes to {@code target} (PyTorch's {@code expand}, as a copy)
     */
    public Tensor broadcastTo(Shape target) {
        return Movement.broadcastTo(this, target);
    }

    /**
     * Sums over the axes that broadcasting expanded, so that the result has shape {@code target}: the
     * gradient of {@link #broadcastTo}.
     *
     * @param target the shape to sum down to
     * @return the sums, of shape {@code target}
     */
    public Tensor sumTo(Shape target) {
        return Reductions.sumTo(this, target);
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
        return Movement.narrow(this, axis, start, length);
    }

    /**
     * Rows {@code from} (inclusive) to {@code to} (exclusive) along axis 0: a mini-batch.
     *
     * @param from the start, inclusive
     * @param to the end, exclusive
     * @return rows {@code from} (inclusive) to {@code to} (exclusive) along axis 0
     */
    public Tensor sliceRows(int from, int to) {
        return Movement.sliceRows(this, from, to);
    }

    /**
     * The rows at the given indices along axis 0, in that order (a shuffled mini-batch).
     *
     * @param rows the row indices to take
     * @return the rows at the given indices along axis 0, in that order (a shuffled mini-batch)
     */
    public Tensor indexRows(int[] rows) {
        return Movement.indexRows(this, rows);
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
        return Movement.concat(axis, parts);
    }

    // ---------------------------------------------------------------- reductions

    /**
     * Sum of all elements as a rank-0 tensor.
     *
     * @return sum of all elements as a rank-0 tensor
     */
    public Tensor sum() {
        return Reductions.sum(this);
    }

    /**
     * Sum over one axis; {@code keepDims} keeps it with size 1.
     *
     * @param axis the axis (negative values count from the end)
     * @param keepDims whether the reduced axis stays, with size 1
     * @return sum over one axis
     */
    public Tensor sum(int axis, boolean keepDims) {
        return Reductions.sum(this, axis, keepDims);
    }

    /**
     * Mean of all elements as a rank-0 tensor (NaN when empty).
     *
     * @return mean of all elements as a rank-0 tensor (NaN when empty)
     */
    public Tensor mean() {
        return Reductions.mean(this);
    }

    /**
     * Mean over one axis.
     *
     * @param axis the axis (negative values count from the end)
     * @param keepDims whether the reduced axis stays, with size 1
     * @return mean over one axis
     */
    public Tensor mean(int axis, boolean keepDims) {
        return Reductions.mean(this, axis, keepDims);
    }

    /**
     * Maximum over one axis (the first maximum when tied; NaN wins).
     *
     * @param axis the axis (negative values count from the end)
     * @param keepDims whether the reduced axis stays, with size 1
     * @return the maximum over one axis (the first when tied; NaN wins)
     */
    public Tensor max(int axis, boolean keepDims) {
        return Reductions.max(this, axis, keepDims);
    }

    /**
     * Index of the first maximum along one axis, in row-major order of the remaining axes.
     *
     * @param axis the axis (negative values count from the end)
     * @return index of the first maximum along one axis, in row-major order of the remaining axes
     */
    public int[] argmax(int axis) {
        return Reductions.argmax(this, axis);
    }

    /**
     * 1 where an element is the first maximum along {@code axis}, else 0: the derivative of {@link #max}.
     *
     * @param axis the axis (negative values count from the end)
     * @return 1 where an element is the first maximum along {@code axis}, else 0
     */
    public Tensor argmaxMask(int axis) {
        return Reductions.argmaxMask(this, axis);
    }

    // ---------------------------------------------------------------- over several axes (Reductions)

    /**
     * Sum over several axes (every axis when {@code axes} is empty); {@code keepDims} keeps them with size 1.
     *
     * @param axes the axes (negative values count from the end), each at most once
     * @param keepDims whether the reduced axes stay, with size 1
     * @return the sums
     * @throws ShapeException when an axis is out of range or repeated
     */
    public Tensor sum(int[] axes, boolean keepDims) {
        return Reductions.sum(this, axes, keepDims);
    }

    /**
     * Mean over several axes (every axis when {@code axes} is empty).
     *
     * @param axes the axes (negative values count from the end), each at most once
     * @param keepDims whether the reduced axes stay, with size 1
     * @return the means
     * @throws ShapeException when an axis is out of range or repeated
     */
    public Tensor mean(int[] axes, boolean keepDims) {
        return Reductions.mean(this, axes, keepDims);
    }

    /**
     * Maximum over several axes (every axis when {@code axes} is empty; PyTorch's {@code amax}).
     *
     * @param axes the axes (negative values count from the end), each at most once
     * @param keepDims whether the reduced axes stay, with size 1
     * @return the maxima
     * @throws ShapeException when an axis is out of range, repeated or empty
     */
    public Tensor max(int[] axes, boolean keepDims) {
        return Reductions.max(this, axes, keepDims);
    }

    /**
     * Variance over several axes, {@code sum((x - mean)^2) / (n - correction)} with n the number of elements
     * reduced: correction 0 is the biased (population) variance batch norm uses, 1 the unbiased one.
     *
     * @param axes the axes (negative values count from the end), each at most once; empty for all
     * @param correction subtracted from n in the divisor (PyTorch's {@code correction})
     * @param keepDims whether the reduced axes stay, with size 1
     * @return the variances
     * @throws ShapeException when an axis is out of range or repeated
     */
    public Tensor var(int[] axes, int correction, boolean keepDims) {
        return Reductions.var(this, axes, correction, keepDims);
    }

    // ---------------------------------------------------------------- movement (Movement)

    /**
     * The axes reordered: axis i of the result is axis {@code axes[i]} of this tensor (a copy; PyTorch's
     * {@code permute}).
     *
     * @param axes a permutation of the axes (negative values count from the end)
     * @return the permuted tensor
     * @throws ShapeException when {@code axes} is not a permutation of this tensor's axes
     */
    public Tensor permute(int... axes) {
        return Movement.permute(this, axes);
    }

    /**
     * Constant padding of the trailing axes, as PyTorch's {@code F.pad}: {@code padding} holds (before, after)
     * pairs starting from the last axis, so {@code {1, 1, 2, 2}} pads W by 1 and H by 2 on each side of [N, C, H, W].
     *
     * @param padding (before, after) pairs from the last axis backwards, non-negative
     * @param value the value of the new elements
     * @return the padded tensor
     * @throws ShapeException when there are more pairs than axes, or an odd count
     * @throws IllegalArgumentException when an entry is negative
     */
    public Tensor pad(int[] padding, double value) {
        return Movement.pad(this, padding, value);
    }

    /**
     * The sliding windows of an image batch as columns (im2col, PyTorch's {@code F.unfold}): [N, C, H, W] gives
     * [N, C kh kw, L] with L = oh ow, {@code oh = (H + 2 ph - dh (kh - 1) - 1) / sh + 1} and likewise ow; row
     * {@code (c, i, j)} of the columns holds {@code x[n, c, y sh + i dh - ph, x sw + j dw - pw]} (0 outside).
     *
     * @param kernel (kh, kw)
     * @param dilation (dh, dw), positive
     * @param padding (ph, pw), zeros added on both sides of H and W
     * @param stride (sh, sw), positive
     * @return the columns [N, C kh kw, L]
     * @throws ShapeException when this is not rank 4 or the window does not fit the padded image
     * @throws IllegalArgumentException when a pair does not have two entries or an entry is out of range
     */
    public Tensor unfold(int[] kernel, int[] dilation, int[] padding, int[] stride) {
        return Movement.unfold(this, kernel, dilation, padding, stride, false);
    }

    /**
     * The columns of {@link #unfold} as one matrix over the batch, [C kh kw, N L]: entry {@code (c, i, j), n L + l}
     * is {@code unfold(...)[n, (c, i, j), l]}. A convolution is then one product {@code W[F, C kh kw] x columns},
     * with no copy to bring the batch next to the positions.
     *
     * @param kernel (kh, kw)
     * @param dilation (dh, dw), positive
     * @param padding (ph, pw), zeros added on both sides of H and W
     * @param stride (sh, sw), positive
     * @return the columns [C kh kw, N L]
     * @throws ShapeException when this is not rank 4 or the window does not fit the padded image
     * @throws IllegalArgumentException when a pair does not have two entries or an entry is out of range
     */
    public Tensor unfoldBatch(int[] kernel, int[] dilation, int[] padding, int[] stride) {
        return Movement.unfold(this, kernel, dilation, padding, stride, true);
    }

    /**
     * The adjoint of {@link #unfold} (col2im, PyTorch's {@code F.fold}): [N, C kh kw, L] columns summed back into
     * [N, C, H, W] images, each column entry added to the pixel it was read from.
     *
     * @param outputSize (H, W)
     * @param kernel (kh, kw)
     * @param dilation (dh, dw), positive
     * @param padding (ph, pw)
     * @param stride (sh, sw), positive
     * @return the images [N, C, H, W]
     * @throws ShapeException when the columns do not fit the output size and window
     * @throws IllegalArgumentException when a pair does not have two entries or an entry is out of range
     */
    public Tensor fold(int[] outputSize, int[] kernel, int[] dilation, int[] padding, int[] stride) {
        return Movement.fold(this, outputSize, kernel, dilation, padding, stride, 0);
    }

    /**
     * The adjoint of {@link #unfoldBatch}: [C kh kw, N L] columns summed back into [N, C, H, W] images.
     *
     * @param batch N
     * @param outputSize (H, W)
     * @param kernel (kh, kw)
     * @param dilation (dh, dw), positive
     * @param padding (ph, pw)
     * @param stride (sh, sw), positive
     * @return the images [N, C, H, W]
     * @throws ShapeException when the columns do not fit the batch, output size and window
     * @throws IllegalArgumentException when a pair does not have two entries or an entry is out of range
     */
    public Tensor foldBatch(int batch, int[] outputSize, int[] kernel, int[] dilation, int[] padding, int[] stride) {
        if (batch < 1) {
            throw new IllegalArgumentException("foldBatch: batch " + batch + " must be at least 1");
        }
        return Movement.fold(this, outputSize, kernel, dilation, padding, stride, batch);
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
        Storage[] operands = inPlaceOperands(others);
        Storage.elementwise(f, operands, true);
        for (Storage o : operands) { // f may have written any of them
            o.bumpVersion();
        }
        return this;
    }

    /**
     * {@link #mapi} for an {@code f} that only reads the further operands: it writes this tensor alone, so only this
     * tensor's version moves (a gradient written over in place, the saved values it is masked by left as they were).
     *
     * @param f the computation, writing only its output
     * @param others the further operands, only read
     * @return this tensor
     * @throws ShapeException when an operand does not broadcast to this shape
     */
    public Tensor mapiReading(Elementwise f, Tensor... others) {
        Storage.elementwise(f, inPlaceOperands(others), true);
        storage.bumpVersion();
        return this;
    }

    private Storage[] inPlaceOperands(Tensor[] others) {
        Storage[] operands = new Storage[others.length + 2];
        operands[0] = storage;
        operands[1] = storage;
        for (int k = 0; k < others.length; k++) {
            operands[k + 2] = operand(others[k], shape, dtype());
        }
        return operands;
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
