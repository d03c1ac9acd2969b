package org.autodiff4j.autograd.ops;

import org.autodiff4j.autograd.Node;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Tensor;

/** Joins variables along an existing axis. */
public final class Concat extends Node {
    private final int axis;
    private final int[] sizes;

    private Concat(int axis, Variable[] parts) {
        super(parts.clone());
        this.axis = axis;
        this.sizes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            sizes[i] = parts[i].shape().dim(axis);
        }
    }

    /**
     * The parts joined along {@code axis}; throws {@link org.autodiff4j.tensor.ShapeException} when other axes differ.
     *
     * @param axis the axis to join along
     * @param parts the variables to join
     * @return the parts joined along {@code axis}
     */
    public static Variable apply(int axis, Variable... parts) {
        Tensor[] values = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = parts[i].value();
        }
        Tensor out = Tensor.concat(axis, values);
        return new Concat(out.shape().normalizeAxis(axis, "concat"), parts).output(out);
    }

    @Override
    protected Variable[] backward(Variable g) {
        // d(part i) = the slice of G that part i filled
        Variable[] grads = new Variable[sizes.length];
        int start = 0;
        for (int i = 0; i < sizes.length; i++) {
            grads[i] = needsGrad(i) ? g.narrow(axis, start, sizes[i]) : null;
            start += sizes[i];
        }
        return grads;
    }
}
