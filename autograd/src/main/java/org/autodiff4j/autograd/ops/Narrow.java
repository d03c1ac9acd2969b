package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Shape;
import org.autodiff4j.tensor.Tensor;

/** A contiguous range of one axis (a slice of rows, say). */
public final class Narrow extends Node {
    private final Shape inShape;
    private final int axis;
    private final int start;

    private Narrow(Variable x, int axis, int start) {
        super(x);
        this.inShape = x.shape();
        this.axis = axis;
        this.start = start;
    }

    /**
     * {@code length} entries of {@code axis} from {@code start}.
     *
     * @param x the input
     * @param axis the axis (negative values count from the end)
     * @param start the first index taken
     * @param length how many entries are taken
     * @return {@code length} entries of {@code axis} from {@code start}
     */
    public static Variable apply(Variable x, int axis, int start, int length) {
        Tensor out = x.value().narrow(axis, start, length);
        return new Narrow(x, x.shape().normalizeAxis(axis, "narrow"), start).output(out);
    }

    @Override
    protected Variable[] backward(Variable g) {
        // dx = G in the slice, 0 elsewhere: concatenate zeros before and after
        int after = inShape.dim(axis) - start - g.shape().dim(axis);
        Variable zerosBefore = Variable.constant(Tensor.zeros(inShape.withDim(axis, start), g.dtype()));
        Variable zerosAfter = Variable.constant(Tensor.zeros(inShape.withDim(axis, after), g.dtype()));
        return new Variable[] {Variable.concat(axis, zerosBefore, g, zerosAfter)};
    }
}
