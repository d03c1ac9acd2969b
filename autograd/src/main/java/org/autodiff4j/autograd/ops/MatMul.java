package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Tensor;

/** Matrix product {@code op(A) op(B)} of rank-2 variables, each op an optional transpose done by gemm flags. */
public final class MatMul extends Node {
    private final Tensor a;
    private final Tensor b;
    private final boolean transA;
    private final boolean transB;

    private MatMul(Variable a, Variable b, boolean transA, boolean transB) {
        super(a, b);
        this.a = a.value();
        this.b = b.value();
        this.transA = transA;
        this.transB = transB;
    }

    /**
     * {@code op(a) op(b)}; throws {@link org.autodiff4j.tensor.ShapeException} naming both shapes when they do not fit.
     *
     * @param a the left operand
     * @param b the right operand
     * @param transA whether the left operand is transposed
     * @param transB whether the right operand is transposed
     * @return {@code op(a) op(b)}
     */
    public static Variable apply(Variable a, Variable b, boolean transA, boolean transB) {
        Tensor out = a.value().matMul(b.value(), transA, transB);
        return new MatMul(a, b, transA, transB).output(out);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        // NOTE: fast path: a leaf operand's gradient written into its lent buffer, as in AddMatMul
        if (a.rank() > 2 || b.rank() > 2) {
            return null; // batched: the rule below; the buffer lent to a leaf is one matrix
        }
        // C = A B: dA = G B^T ; dB = A^T G. With A stored transposed, dA is the transpose: B G^T; likewise for B.
        Tensor dA = null;
        Tensor dB = null;
        if (needsGrad(0)) {
            Tensor out = buffer(0, a, g, b);
            dA = transA ? b.matMul(g, transB, true, out) : g.matMul(b, false, !transB, out);
        }
        if (needsGrad(1)) {
            Tensor out = buffer(1, b, g, a);
            dB = transB ? g.matMul(a, true, transA, out) : a.matMul(g, !transA, false, out);
        }
        return new Tensor[] {dA, dB};
    }

    /** Where input i's gradient (the product of g and the other operand) goes: the leaf's cleared buffer, or a new tensor. */
    private Tensor buffer(int i, Tensor input, Tensor g, Tensor other) {
        DType dt = DType.promote(g.dtype(), other.dtype());
        Tensor lent = gradientBuffer(i, input.shape(), dt);
        return lent != null ? lent : Tensor.zeros(input.shape(), dt);
    }

    @Override
    protected Variable[] backward(Variable g) {
        Variable a = input(0);
        Variable b = input(1);
        Variable dA = null;
        Variable dB = null;
        if (needsGrad(0)) {
            dA = transA ? b.matMul(g, transB, true) : g.matMul(b, false, !transB);
        }
        if (needsGrad(1)) {
            dB = transB ? g.matMul(a, true, transA) : a.matMul(g, !transA, false);
        }
        return new Variable[] {dA, dB};
    }

    /** Backward reads the inputs, not the output. */
    @Override
    protected boolean reads(int i) {
        return i < 2;
    }

    /** Both gradients are new products (a leaf's may be its own lent buffer, which the engine never hands on). */
    @Override
    protected GradientSource gradientSource(int i) {
        return GradientSource.FRESH;
    }
}
