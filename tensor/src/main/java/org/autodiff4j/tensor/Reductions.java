package org.autodiff4j.tensor;

import java.util.Arrays;

/**
 * The reduction family behind {@link Tensor}: sums, means, maxima and variances over a set of axes,
 * each one reduction per axis over a contiguous [outer, len, inner] view ({@link Storage#sumAxis}).
 */
final class Reductions {
    private Reductions() {
    }

    /**
     * The axes normalised and in increasing order; every axis when {@code axes} is empty, as PyTorch's
     * {@code sum(dim=())}.
     */
    static int[] axes(Shape shape, int[] axes, String op) {
        if (axes.length == 0) {
            int[] all = new int[shape.rank()];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = shape.normalizeAxis(axes[i], op);
        }
        Arrays.sort(out);
        for (int i = 1; i < out.length; i++) {
            if (out[i] == out[i - 1]) {
                throw new ShapeException(op + ": axis " + out[i] + " appears twice in " + Arrays.toString(axes)
                        + " for " + shape);
            }
        }
        return out;
    }

    /** The shape with each reduced axis kept at size 1. */
    static Shape kept(Shape shape, int[] sortedAxes) {
        Shape s = shape;
        for (int a : sortedAxes) {
            s = s.withDim(a, 1);
        }
        return s;
    }

    /** The shape with each reduced axis removed. */
    static Shape dropped(Shape shape, int[] sortedAxes) {
        Shape s = shape;
        for (int i = sortedAxes.length - 1; i >= 0; i--) {
            s = s.withoutDim(sortedAxes[i]);
        }
        return s;
    }

    /** How many elements each output of a reduction over these axes combines. */
    static int count(Shape shape, int[] sortedAxes) {
        int n = 1;
        for (int a : sortedAxes) {
            n *= shape.dim(a);
        }
        return n;
    }

    static Tensor sum(Tensor t, int[] axes, boolean keepDims) {
        int[] a = axes(t.shape(), axes, "sum");
        Tensor r = t;
        // each run of neighbouring axes is one reduction over their product: [N, C, H, W] over 1, 2, 3 is one pass
        // over [N, C H W], not three
        for (int i = 0, j; i < a.length; i = j + 1) {
            j = endOfRun(a, i);
            r = sumRun(r, a[i], a[j]);
        }
        return keepDims ? r : r.reshape(dropped(t.shape(), a).dims());
    }

    /** The last index of the run of consecutive axes that starts at {@code sortedAxes[i]}. */
    private static int endOfRun(int[] sortedAxes, int i) {
        int j = i;
        while (j + 1 < sortedAxes.length && sortedAxes[j + 1] == sortedAxes[j] + 1) {
            j++;
        }
        return j;
    }

    /** The sum over axes {@code from} to {@code to} (inclusive), kept at size 1. */
    private static Tensor sumRun(Tensor t, int from, int to) {
        Shape kept = t.shape();
        int len = 1;
        for (int axis = from; axis <= to; axis++) {
            len *= kept.dimsView()[axis];
            kept = kept.withDim(axis, 1);
        }
        Storage out = t.storage.empty(kept.size());
        t.storage.sumAxis(t.shape().sizeBefore(from), len, t.shape().sizeAfter(to), out);
        return new Tensor(kept, out);
    }

    static Tensor mean(Tensor t, int[] axes, boolean keepDims) {
        int[] a = axes(t.shape(), axes, "mean");
        return sum(t, a, keepDims).mul(1.0 / count(t.shape(), a));
    }

    static Tensor max(Tensor t, int[] axes, boolean keepDims) {
        int[] a = axes(t.shape(), axes, "max");
        Tensor r = t;
        for (int axis : a) {
            r = r.max(axis, true);
        }
        return keepDims ? r : r.reshape(dropped(t.shape(), a).dims());
    }

    static Tensor var(Tensor t, int[] axes, int correction, boolean keepDims) {
        int[] a = axes(t.shape(), axes, "var");
        int n = count(t.shape(), a);
        if (correction < 0) {
            throw new IllegalArgumentException("var: correction " + correction + " must not be negative");
        }
        Tensor centred = t.sub(mean(t, a, true));
        return sum(centred.square(), a, keepDims).mul(1.0 / (n - correction));
    }

    static Tensor sumTo(Tensor t, Shape target) {
        if (!target.broadcastsTo(t.shape())) {
            throw new ShapeException("sumTo: " + t.shape() + " cannot be summed to " + target);
        }
        int lead = t.rank() - target.rank();
        int[] axes = new int[t.rank()];
        int n = 0;
        for (int axis = 0; axis < t.rank(); axis++) {
            boolean expanded = axis < lead || (target.dimsView()[axis - lead] == 1 && t.shape().dimsView()[axis] != 1);
            if (expanded) {
                axes[n++] = axis;
            }
        }
        if (n == 0) {
            return t.shape().equals(target) ? t : new Tensor(target, t.storage);
        }
        Tensor r = sum(t, Arrays.copyOf(axes, n), true);
        return new Tensor(target, r.storage);
    }

    static Tensor sum(Tensor t) {
        return Tensor.scalar(t.storage.sum(), t.dtype());
    }

    static Tensor sum(Tensor t, int axis, boolean keepDims) {
        int a = t.shape().normalizeAxis(axis, "sum");
        Shape kept = t.shape().withDim(a, 1);
        Storage out = t.storage.empty(kept.size());
        t.storage.sumAxis(t.shape().sizeBefore(a), t.shape().dimsView()[a], t.shape().sizeAfter(a), out);
        return new Tensor(keepDims ? kept : t.shape().withoutDim(a), out);
    }

    static Tensor mean(Tensor t) {
        return Tensor.scalar(t.storage.sum() / t.size(), t.dtype());
    }

    static Tensor mean(Tensor t, int axis, boolean keepDims) {
        int n = t.shape().dim(axis);
        return sum(t, axis, keepDims).mul(1.0 / n);
    }

    static Tensor max(Tensor t, int axis, boolean keepDims) {
        int a = checkedReductionAxis(t, axis, "max");
        Shape kept = t.shape().withDim(a, 1);
        Storage out = t.storage.empty(kept.size());
        t.storage.maxAxis(t.shape().sizeBefore(a), t.shape().dimsView()[a], t.shape().sizeAfter(a), out, new int[kept.size()]);
        return new Tensor(keepDims ? kept : t.shape().withoutDim(a), out);
    }

    static int[] argmax(Tensor t, int axis) {
        int a = checkedReductionAxis(t, axis, "argmax");
        int n = t.shape().size() / t.shape().dimsView()[a];
        int[] idx = new int[n];
        t.storage.maxAxis(t.shape().sizeBefore(a), t.shape().dimsView()[a], t.shape().sizeAfter(a), t.storage.empty(n), idx);
        return idx;
    }

    static Tensor argmaxMask(Tensor t, int axis) {
        int a = checkedReductionAxis(t, axis, "argmaxMask");
        int[] idx = argmax(t, a);
        int len = t.shape().dimsView()[a];
        int inner = t.shape().sizeAfter(a);
        Tensor mask = new Tensor(t.shape(), t.storage.empty(t.size()));
        for (int r = 0; r < idx.length; r++) {
            int p = r / inner;
            int q = r % inner;
            mask.storage.set((p * len + idx[r]) * inner + q, 1.0);
        }
        return mask;
    }

    static int checkedReductionAxis(Tensor t, int axis, String op) {
        int a = t.shape().normalizeAxis(axis, op);
        if (t.shape().dimsView()[a] == 0) {
            throw new ShapeException(op + ": axis " + a + " of shape " + t.shape() + " is empty");
        }
        return a;
    }
}
