package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.BinaryRows;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Tensor;

/**
 * The affine map of a linear layer, {@code x W^T + b} for x [m, k], W [n, k] and b [n], in one gemm
 * that accumulates onto the bias rows (PyTorch's {@code addmm}). NOTE: fused for speed: matMul then a
 * broadcasting add took a second pass over [m, n] and a temporary, and the add's backward a strided
 * reduction (ElementwiseBenchmark.biasAdd: 78 us per 128x500 before). When x is zeros and ones with few
 * ones ({@link BinaryRows#whenSparse}), the forward and the weight gradient sum the rows its ones pick
 * instead (NOTE: SparseBenchmark measures where that beats gemm).
 */
public final class AddMatMul extends Node {
    private final Tensor x;
    private final Tensor w;
    /** x's ones when the sparse kernels are used, else null. */
    private final BinaryRows ones;

    private AddMatMul(Variable x, Variable w, Variable b, BinaryRows ones) {
        super(x, w, b);
        this.x = x.value();
        this.w = w.value();
        this.ones = ones;
    }

    /**
     * {@code x w^T + b}; throws {@link org.autodiff4j.tensor.ShapeException} naming the three shapes when they do not fit.
     *
     * @param x the input [m, k]
     * @param w the weight [n, k]
     * @param b the bias [n]
     * @return {@code x w^T + b}
     */
    public static Variable apply(Variable x, Variable w, Variable b) {
        BinaryRows ones = BinaryRows.whenSparse(x.value()).orElse(null);
        Tensor out = ones != null ? ones.linear(w.value(), b.value()) : x.value().linear(w.value(), b.value());
        return new AddMatMul(x, w, b, ones).output(out);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        // NOTE: fast path: the sparse kernels and the weight gradient written into the leaf's lent buffer (without
        // them GanStepBenchmark took 16.0 and 18.5 ms against 14.1 and 15.9, two alternating JMH runs); the same
        // products as the rule below, so the same bits
        // dx = G W ; dW = G^T x ; db = sum of G over rows
        Tensor dx = needsGrad(0) ? g.matMul(w, false, false) : null;
        Tensor dw = null;
        if (needsGrad(1) && ones != null) {
            dw = ones.transposeTimes(g);
        } else if (needsGrad(1)) {
            Tensor buffer = gradientBuffer(1, w.shape(), DType.promote(g.dtype(), x.dtype()));
            dw = buffer != null ? g.matMul(x, true, false, buffer) : g.matMul(x, true, false);
        }
        Tensor db = needsGrad(2) ? g.sum(0, false) : null;
        return new Tensor[] {dx, dw, db};
    }

    @Override
    protected Variable[] backward(Variable g) {
        Variable dx = needsGrad(0) ? g.matMul(input(1), false, false) : null;
        Variable dw = needsGrad(1) ? g.matMul(input(0), true, false) : null;
        Variable db = needsGrad(2) ? g.sum(0, false) : null;
        return new Variable[] {dx, dw, db};
    }

    /** x and w; never the bias or the output. */
    @Override
    protected boolean reads(int i) {
        return i < 2;
    }

    /** x's gradient is a new product. */
    @Override
    protected GradientSource gradientSource(int i) {
        return i == 0 ? GradientSource.FRESH : GradientSource.SHARED;
    }
}
