package org.autodiff4j.autograd;

import org.autodiff4j.autograd.ops.Add;
import org.autodiff4j.autograd.ops.AddMatMul;
import org.autodiff4j.autograd.ops.Affine;
import org.autodiff4j.autograd.ops.Amax;
import org.autodiff4j.autograd.ops.Clamp;
import org.autodiff4j.autograd.ops.Concat;
import org.autodiff4j.autograd.ops.Div;
import org.autodiff4j.autograd.ops.Exp;
import org.autodiff4j.autograd.ops.Fold;
import org.autodiff4j.autograd.ops.LeakyRelu;
import org.autodiff4j.autograd.ops.Log;
import org.autodiff4j.autograd.ops.Log1p;
import org.autodiff4j.autograd.ops.MatMul;
import org.autodiff4j.autograd.ops.Max;
import org.autodiff4j.autograd.ops.Mul;
import org.autodiff4j.autograd.ops.Narrow;
import org.autodiff4j.autograd.ops.Pad;
import org.autodiff4j.autograd.ops.Permute;
import org.autodiff4j.autograd.ops.Pow;
import org.autodiff4j.autograd.ops.Relu;
import org.autodiff4j.autograd.ops.Reshape;
import org.autodiff4j.autograd.ops.Sigmoid;
import org.autodiff4j.autograd.ops.Softplus;
import org.autodiff4j.autograd.ops.Sqrt;
import org.autodiff4j.autograd.ops.Square;
import org.autodiff4j.autograd.ops.Sub;
import org.autodiff4j.autograd.ops.Sum;
import org.autodiff4j.autograd.ops.Tanh;
import org.autodiff4j.autograd.ops.Transpose;
import org.autodiff4j.autograd.ops.Unfold;
import org.autodiff4j.autograd.ops.Window;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Shape;
import org.autodiff4j.tensor.Tensor;

/**
 * A tensor that takes part in differentiation, like a PyTorch tensor with autograd. A leaf is
 * created by the user ({@link #parameter}, {@link #constant}); every op on variables returns a new
 * variable that remembers its {@link Node} when an input requires grad. {@link #backward()}
 * accumulates gradients into the {@link #grad()} of leaves that require grad.
 */
// NOTE: over 400 lines: the public face of every differentiable op, one line each under its Javadoc; the rules
// live in autograd.ops, one class per op
public final class Variable {
    private final Tensor value;
    private final Node gradFn;
    private boolean requiresGrad;
    private Tensor grad;
    /** The buffer of the gradient {@link #zeroGrad} cleared, reused by the next accumulation. */
    private Tensor spareGrad;
    /** The spare buffer lent to the op computing this leaf's gradient ({@link Node#gradientBuffer}), until it returns. */
    private Tensor lentGrad;

    Variable(Tensor value, Node gradFn) {
        this.value = value;
        this.gradFn = gradFn;
        this.requiresGrad = true;
    }

    private Variable(Tensor value, boolean requiresGrad) {
        this.value = value;
        this.gradFn = null;
        this.requiresGrad = requiresGrad;
    }

    /**
     * A leaf that requires grad: a trainable parameter or an input to differentiate with respect to.
     *
     * @param value the initial value
     * @return a leaf that requires grad
     */
    public static Variable parameter(Tensor value) {
        return new Variable(value, true);
    }

    /**
     * A leaf that does not require grad: data, targets, constants.
     *
     * @param value the value
     * @return a leaf that does not require grad
     */
    public static Variable constant(Tensor value) {
        return new Variable(value, false);
    }

    /**
     * A rank-0 constant.
     *
     * @param value the value
     * @param dtype the element type
     * @return a rank-0 constant
     */
    public static Variable scalar(double value, DType dtype) {
        return constant(Tensor.scalar(value, dtype));
    }

    // ---------------------------------------------------------------- state

    /**
     * The value. Optimisers update a parameter's value in place; nothing else should.
     *
     * @return the value
     */
    public Tensor value() {
        return value;
    }

    /**
     * The accumulated gradient of a leaf, or null before any backward (or after {@link #zeroGrad}).
     *
     * @return the accumulated gradient of a leaf, or null before any backward (or after {@link #zeroGrad})
     */
    public synchronized Tensor grad() {
        return grad;
    }

    /**
     * The node that produced this variable; null for a leaf.
     *
     * @return the node that produced this variable, or null for a leaf
     */
    public Node gradFn() {
        return gradFn;
    }

    /**
     * The shape of the value.
     *
     * @return the shape of the value
     */
    public Shape shape() {
        return value.shape();
    }

    /**
     * The dtype of the value.
     *
     * @return the dtype of the value
     */
    public DType dtype() {
        return value.dtype();
    }

    /**
     * The only element of a one-element value.
     *
     * @return the only element of a one-element value
     */
    public double item() {
        return value.item();
    }

    /**
     * Whether gradients flow to (or through) this variable.
     *
     * @return whether gradients flow to (or through) this variable
     */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * True for variables created by the user rather than by an op.
     *
     * @return true for variables created by the user rather than by an op
     */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /**
     * Turns gradient tracking on or off for a leaf, e.g. to freeze a parameter; returns this.
     *
     * @param requires whether gradients are tracked
     * @return this variable
     * @throws IllegalStateException on a non-leaf, whose tracking follows from its inputs
     */
    public Variable requiresGrad(boolean requires) {
        if (!isLeaf()) {
            throw new IllegalStateException("requiresGrad: can only be changed on a leaf; this variable was produced by "
                    + gradFn.name() + " (use detach() to cut it from the graph)");
        }
        this.requiresGrad = requires;
        return this;
    }

    /**
     * Forgets the accumulated gradient: {@link #grad()} is null afterwards, as after PyTorch's
     * {@code zero_grad(set_to_none=True)}. The old gradient's buffer is reused by the next backward, so a
     * gradient you want to keep across steps must be copied first.
     */
    public synchronized void zeroGrad() {
        if (grad != null) {
            spareGrad = grad;
        }
        grad = null;
    }

    /**
     * A new leaf sharing this value that does not require grad: the graph stops here.
     *
     * @return a new leaf sharing this value that does not require grad
     */
    public Variable detach() {
        return new Variable(value, false);
    }

    /** The cleared buffer, lent once to be written with this leaf's next gradient; null when there is none to lend. */
    synchronized Tensor lendGradBuffer(Shape shape, DType dtype) {
        if (grad != null || spareGrad == null || !spareGrad.shape().equals(shape) || spareGrad.dtype() != dtype) {
            return null;
        }
        lentGrad = spareGrad;
        spareGrad = null;
        return lentGrad;
    }

    // NOTE: synchronized so that backward passes on several threads into shared parameters add up, none lost
    synchronized void accumulateGrad(Tensor g) {
        if (g == lentGrad && grad == null) {
            // NOTE: the op wrote the gradient into this leaf's own buffer: keeping it saves a copy of the
            // parameter's size, and the op an allocation (GanStepBenchmark: 28.1 -> 24.5 ms)
            grad = g;
            lentGrad = null;
        } else if (grad != null) {
            grad.addi(g);
        } else if (spareGrad != null && spareGrad.shape().equals(g.shape()) && spareGrad.dtype() == g.dtype()) {
            // NOTE: reusing the cleared buffer saves an allocation of every parameter's size per step
            grad = spareGrad.copyFrom(g);
            spareGrad = null;
        } else {
            grad = g.copy();
        }
    }

    // ---------------------------------------------------------------- backward

    /**
     * Backpropagates from this one-element output: adds d(this)/d(leaf) to every leaf that requires
     * grad, then frees the graph.
     *
     * @throws org.autodiff4j.tensor.ShapeException when this output has more than one element
     * @throws IllegalStateException when nothing requires grad or the graph was already freed
     */
    public void backward() {
        Engine.backward(this, null, false);
    }

    /**
     * Backpropagates an upstream gradient of this variable's shape, then frees the graph.
     *
     * @param upstream the gradient of the final result with respect to this variable, of its shape
     */
    public void backward(Tensor upstream) {
        Engine.backward(this, upstream, false);
    }

    /**
     * Backpropagates an upstream gradient (null for a one-element output); keeps the graph when asked.
     *
     * @param upstream the gradient of the final result with respect to this variable, or null for a one-element output
     * @param retainGraph whether the graph is kept for another backward pass
     */
    public void backward(Tensor upstream, boolean retainGraph) {
        Engine.backward(this, upstream, retainGraph);
    }

    // ---------------------------------------------------------------- ops

    /**
     * Elementwise sum, broadcasting.
     *
     * @param other the other operand
     * @return elementwise sum, broadcasting
     */
    public Variable add(Variable other) { return Add.apply(this, other); }

    /**
     * Elementwise difference, broadcasting.
     *
     * @param other the other operand
     * @return elementwise difference, broadcasting
     */
    public Variable sub(Variable other) { return Sub.apply(this, other); }

    /**
     * Elementwise product, broadcasting.
     *
     * @param other the other operand
     * @return elementwise product, broadcasting
     */
    public Variable mul(Variable other) { return Mul.apply(this, other); }

    /**
     * Elementwise quotient, broadcasting.
     *
     * @param other the other operand
     * @return elementwise quotient, broadcasting
     */
    public Variable div(Variable other) { return Div.apply(this, other); }

    /**
     * this + c.
     *
     * @param c the constant
     * @return this + c
     */
    public Variable add(double c) { return Affine.apply(this, 1.0, c); }

    /**
     * this - c.
     *
     * @param c the constant
     * @return this - c
     */
    public Variable sub(double c) { return Affine.apply(this, 1.0, -c); }

    /**
     * this * c.
     *
     * @param c the constant
     * @return this * c
     */
    public Variable mul(double c) { return Affine.apply(this, c, 0.0); }

    /**
     * this / c.
     *
     * @param c the constant
     * @return this / c
     */
    public Variable div(double c) { return Affine.apply(this, 1.0 / c, 0.0); }

    /**
     * c - this.
     *
     * @param c the constant
     * @return c - this
     */
    public Variable rsub(double c) { return Affine.apply(this, -1.0, c); }

    /**
     * -this.
     *
     * @return -this
     */
    public Variable neg() { return Affine.apply(this, -1.0, 0.0); }

    /**
     * e^x.
     *
     * @return e^x
     */
    public Variable exp() { return Exp.apply(this); }

    /**
     * Natural logarithm.
     *
     * @return natural logarithm
     */
    public Variable log() { return Log.apply(this); }

    /**
     * log(1 + x).
     *
     * @return log(1 + x)
     */
    public Variable log1p() { return Log1p.apply(this); }

    /**
     * Hyperbolic tangent.
     *
     * @return hyperbolic tangent
     */
    public Variable tanh() { return Tanh.apply(this); }

    /**
     * Logistic sigmoid.
     *
     * @return logistic sigmoid
     */
    public Variable sigmoid() { return Sigmoid.apply(this); }

    /**
     * max(x, 0).
     *
     * @return max(x, 0)
     */
    public Variable relu() { return Relu.apply(this); }

    /**
     * x for x >= 0, slope * x below.
     *
     * @param slope the slope for negative inputs
     * @return x for x >= 0, slope * x below
     */
    public Variable leakyRelu(double slope) { return LeakyRelu.apply(this, slope); }

    /**
     * Stable log(1 + e^x).
     *
     * @return stable log(1 + e^x)
     */
    public Variable softplus() { return Softplus.apply(this); }

    /**
     * x^2.
     *
     * @return x^2
     */
    public Variable square() { return Square.apply(this); }

    /**
     * Square root.
     *
     * @return square root
     */
    public Variable sqrt() { return Sqrt.apply(this); }

    /**
     * x^p for a constant p.
     *
     * @param p the exponent
     * @return x^p for a constant p
     */
    public Variable pow(double p) { return Pow.apply(this, p); }

    /**
     * Each element limited to [lo, hi]; the gradient is zero where an element was clamped.
     *
     * @param lo the lower bound
     * @param hi the upper bound
     * @return each element limited to [lo, hi]
     */
    public Variable clamp(double lo, double hi) { return Clamp.apply(this, lo, hi); }

    /**
     * Matrix product of rank-2 variables.
     *
     * @param other the other operand
     * @return matrix product of rank-2 variables
     */
    public Variable matMul(Variable other) { return MatMul.apply(this, other, false, false); }

    /**
     * {@code op(this) op(other)} with optional transposes, without transposed copies.
     *
     * @param other the other operand
     * @param transA whether the left operand is transposed
     * @param transB whether the right operand is transposed
     * @return {@code op(this) op(other)} with optional transposes, without transposed copies
     */
    public Variable matMul(Variable other, boolean transA, boolean transB) {
        return MatMul.apply(this, other, transA, transB);
    }

    /**
     * {@code this weight^T + bias} for this [m, k], weight [n, k], bias [n]: a linear layer's map in one gemm.
     *
     * @param weight the weight [out, in]
     * @param bias the bias [out]
     * @return {@code this weight^T + bias} for this [m, k], weight [n, k], bias [n]
     */
    public Variable linear(Variable weight, Variable bias) { return AddMatMul.apply(this, weight, bias); }

    /**
     * Swaps the last two axes.
     *
     * @return this variable with its last two axes swapped
     */
    public Variable transpose() { return Transpose.apply(this); }

    /**
     * The same elements in a new shape.
     *
     * @param dims the new dimensions, of the same total size
     * @return the same elements in a new shape
     */
    public Variable reshape(int... dims) { return Reshape.apply(this, dims); }

    /**
     * Sum of all elements (rank 0).
     *
     * @return sum of all elements (rank 0)
     */
    public Variable sum() { return Sum.apply(this); }

    /**
     * Sum over one axis.
     *
     * @param axis the axis (negative values count from the end)
     * @param keepDims whether the reduced axis stays, with size 1
     * @return sum over one axis
     */
    public Variable sum(int axis, boolean keepDims) { return Sum.apply(this, axis, keepDims); }

    /**
     * Mean of all elements (rank 0).
     *
     * @return mean of all elements (rank 0)
     */
    public Variable mean() { return sum().mul(1.0 / value.size()); }

    /**
     * Mean over one axis.
     *
     * @param axis the axis (negative values count from the end)
     * @param keepDims whether the reduced axis stays, with size 1
     * @return mean over one axis
     */
    public Variable mean(int axis, boolean keepDims) {
        return sum(axis, keepDims).mul(1.0 / value.shape().dim(axis));
    }

    /**
     * log softmax over one axis, stable for any logits: {@code x - m - log(sum(exp(x - m)))} with m the
     * maximum along the axis, held constant (the result does not depend on it, so neither does its gradient).
     *
     * @param axis the axis (negative values count from the end)
     * @return log softmax over one axis, stable for any logits
     */
    public Variable logSoftmax(int axis) {
        Variable shifted = sub(max(axis, true).detach());
        return shifted.sub(shifted.exp().sum(axis, true).log());
    }

    /**
     * Maximum over one axis; the gradient goes to the first maximum.
     *
     * @param axis the axis (negative values count from the end)
     * @param keepDims whether the reduced axis stays, with size 1
     * @return maximum over one axis
     */
    public Variable max(int axis, boolean keepDims) { return Max.apply(this, axis, keepDims); }

    /**
     * Sum over several axes (every axis when {@code axes} is empty).
     *
     * @param axes the axes (negative values count from the end), each at most once
     * @param keepDims whether the reduced axes stay, with size 1
     * @return the sums
     */
    public Variable sum(int[] axes, boolean keepDims) { return Sum.apply(this, axes, keepDims); }

    /**
     * Mean over several axes (every axis when {@code axes} is empty).
     *
     * @param axes the axes (negative values count from the end), each at most once
     * @param keepDims whether the reduced axes stay, with size 1
     * @return the means
     */
    public Variable mean(int[] axes, boolean keepDims) {
        Variable s = sum(axes, keepDims);
        return s.mul((double) s.value().size() / value.size());
    }

    /**
     * Maximum over several axes (every axis when {@code axes} is empty; PyTorch's {@code amax}): the gradient is
     * shared evenly among tied maxima.
     *
     * @param axes the axes (negative values count from the end), each at most once
     * @param keepDims whether the reduced axes stay, with size 1
     * @return the maxima
     */
    public Variable max(int[] axes, boolean keepDims) { return Amax.apply(this, axes, keepDims); }

    /**
     * Variance over several axes, {@code sum((x - mean)^2) / (n - correction)}: correction 0 is the biased
     * variance batch norm uses, 1 the unbiased one.
     *
     * @param axes the axes (negative values count from the end), each at most once; empty for all
     * @param correction subtracted from the number of elements reduced, in the divisor
     * @param keepDims whether the reduced axes stay, with size 1
     * @return the variances
     */
    public Variable var(int[] axes, int correction, boolean keepDims) {
        if (correction < 0) {
            throw new IllegalArgumentException("var: correction " + correction + " must not be negative");
        }
        Variable centred = sub(mean(axes, true));
        Variable s = centred.square().sum(axes, keepDims);
        return s.mul(1.0 / ((double) value.size() / s.value().size() - correction));
    }

    /**
     * The axes reordered: axis i of the result is axis {@code axes[i]} of this variable.
     *
     * @param axes a permutation of the axes
     * @return the permuted variable
     */
    public Variable permute(int... axes) { return Permute.apply(this, axes); }

    /**
     * Constant padding of the trailing axes, as PyTorch's {@code F.pad}: (before, after) pairs from the last axis.
     *
     * @param padding (before, after) pairs from the last axis backwards, non-negative
     * @param value the value of the new elements
     * @return the padded variable
     */
    public Variable pad(int[] padding, double value) { return Pad.apply(this, padding, value); }

    /**
     * The sliding windows of [N, C, H, W] images as [N, C kh kw, L] columns (im2col, PyTorch's {@code F.unfold});
     * see {@link Tensor#unfold}.
     *
     * @param window the kernel, dilation, padding and stride
     * @return the columns
     */
    public Variable unfold(Window window) { return Unfold.apply(this, window); }

    /**
     * The columns of {@link #unfold} as one [C kh kw, N L] matrix over the batch; see {@link Tensor#unfoldBatch}.
     *
     * @param window the kernel, dilation, padding and stride
     * @return the columns [C kh kw, N L]
     */
    public Variable unfoldBatch(Window window) { return Unfold.batch(this, window); }

    /**
     * [N, C kh kw, L] columns summed back into [N, C, H, W] images (col2im, PyTorch's {@code F.fold}); see
     * {@link Tensor#fold}.
     *
     * @param outputSize (H, W)
     * @param window the kernel, dilation, padding and stride
     * @return the images
     */
    public Variable fold(int[] outputSize, Window window) { return Fold.apply(this, outputSize, window); }

    /**
     * [C kh kw, N L] columns summed back into [N, C, H, W] images; see {@link Tensor#foldBatch}.
     *
     * @param batch N
     * @param outputSize (H, W)
     * @param window the kernel, dilation, padding and stride
     * @return the images [N, C, H, W]
     */
    public Variable foldBatch(int batch, int[] outputSize, Window window) {
        return Fold.batch(this, batch, outputSize, window);
    }

    /**
     * {@code length} entries of one axis from {@code start}.
     *
     * @param axis the axis (negative values count from the end)
     * @param start the first index taken
     * @param length how many entries are taken
     * @return {@code length} entries of one axis from {@code start}
     */
    public Variable narrow(int axis, int start, int length) { return Narrow.apply(this, axis, start, length); }

    /**
     * Rows {@code from} to {@code to} (exclusive) along axis 0.
     *
     * @param from the start, inclusive
     * @param to the end, exclusive
     * @return rows {@code from} to {@code to} (exclusive) along axis 0
     */
    public Variable sliceRows(int from, int to) { return Narrow.apply(this, 0, from, to - from); }

    /**
     * Joins variables along an existing axis.
     *
     * @param axis the axis to join along
     * @param parts the variables to join
     * @return the joined variable
     */
    public static Variable concat(int axis, Variable... parts) { return Concat.apply(axis, parts); }

    @Override
    public String toString() {
        return "Variable(" + value + (gradFn != null ? ", gradFn=" + gradFn.name()
                : requiresGrad ? ", requiresGrad=true" : "") + ")";
    }
}
