package org.autodiff4j.tensor;

import java.util.Arrays;

/**
 * The movement family behind {@link Tensor}: ops that move elements without arithmetic (permute, pad,
 * im2col's unfold) and fold, the scatter-add that is unfold's adjoint: permute and pad are one strided
 * {@link Storage#gather} or {@link Storage#scatter}, unfold and fold one {@link Storage#im2col}.
 */
final class Movement {
    private Movement() {
    }

    static Tensor permute(Tensor t, int[] axes) {
        Shape shape = t.shape();
        if (axes.length != shape.rank()) {
            throw new ShapeException("permute: " + Arrays.toString(axes) + " has " + axes.length + " axes, "
                    + shape + " has " + shape.rank());
        }
        int[] dims = new int[axes.length];
        int[] strides = new int[axes.length];
        boolean[] seen = new boolean[axes.length];
        int[] inStrides = shape.strides();
        for (int i = 0; i < axes.length; i++) {
            int a = shape.normalizeAxis(axes[i], "permute");
            if (seen[a]) {
                throw new ShapeException("permute: axis " + a + " appears twice in " + Arrays.toString(axes)
                        + " for " + shape);
            }
            seen[a] = true;
            dims[i] = shape.dimsView()[a];
            strides[i] = inStrides[a];
        }
        Storage out = t.storage.empty(t.size());
        t.storage.gather(dims, strides, 0, out);
        return new Tensor(Shape.of(dims), out);
    }

    static Tensor pad(Tensor t, int[] padding, double value) {
        Shape shape = t.shape();
        if (padding.length % 2 != 0 || padding.length / 2 > shape.rank()) {
            throw new ShapeException("pad: padding " + Arrays.toString(padding) + " needs a (before, after) pair for "
                    + "each of at most " + shape.rank() + " trailing axes of " + shape);
        }
        int[] dims = shape.dims();
        int offset = 0;
        int[] outDims = dims.clone();
        for (int p = 0; p < padding.length / 2; p++) {
            int axis = shape.rank() - 1 - p;
            if (padding[2 * p] < 0 || padding[2 * p + 1] < 0) {
                throw new IllegalArgumentException("pad: padding " + Arrays.toString(padding) + " has a negative "
                        + "entry; narrow crops an axis");
            }
            outDims[axis] += padding[2 * p] + padding[2 * p + 1];
        }
        Shape outShape = Shape.of(outDims);
        int[] outStrides = outShape.strides();
        for (int p = 0; p < padding.length / 2; p++) {
            int axis = shape.rank() - 1 - p;
            offset += padding[2 * p] * outStrides[axis];
        }
        Storage out = t.storage.empty(outShape.size());
        if (value != 0.0) {
            out.fill(value);
        }
        out.scatter(dims, outStrides, offset, t.storage, false);
        return new Tensor(outShape, out);
    }

    static Tensor unfold(Tensor t, int[] kernel, int[] dilation, int[] padding, int[] stride, boolean batchMajor) {
        String op = batchMajor ? "unfoldBatch" : "unfold";
        if (t.rank() != 4) {
            throw new ShapeException(op + ": input " + t.shape() + " must be [N, C, H, W]");
        }
        Window w = Window.of(op, t.shape(), kernel, dilation, padding, stride);
        Storage out = t.storage.empty(w.columns().size());
        t.storage.im2col(w.im2col(t.shape(), kernel, dilation, padding, stride, batchMajor), out, false);
        return new Tensor(batchMajor ? w.batchColumns() : w.columns(), out);
    }

    static Tensor fold(Tensor t, int[] outputSize, int[] kernel, int[] dilation, int[] padding, int[] stride,
                       int batch) {
        boolean batchMajor = batch > 0;
        String op = batchMajor ? "foldBatch" : "fold";
        Shape shape = t.shape();
        if (outputSize.length != 2) {
            throw new IllegalArgumentException(op + ": outputSize " + Arrays.toString(outputSize) + " must be [H, W]");
        }
        int kk = kernel.length == 2 ? kernel[0] * kernel[1] : 1;
        int rows = batchMajor ? 0 : 1;
        if (shape.rank() != (batchMajor ? 2 : 3) || kk <= 0 || shape.dim(rows) % kk != 0) {
            throw new ShapeException(op + ": input " + shape + " must be " + (batchMajor ? "[C * " + Arrays.toString(kernel)
                    + ", N L]" : "[N, C * " + Arrays.toString(kernel) + ", L]"));
        }
        Shape image = Shape.of(batchMajor ? batch : shape.dim(0), shape.dim(rows) / kk, outputSize[0], outputSize[1]);
        Window w = Window.of(op, image, kernel, dilation, padding, stride);
        Shape expected = batchMajor ? w.batchColumns() : w.columns();
        if (!expected.equals(shape)) {
            throw new ShapeException(op + ": input " + shape + " does not fit output " + image + " with kernel "
                    + Arrays.toString(kernel) + ": expected " + expected);
        }
        Storage out = Storage.zeros(t.dtype(), image.size());
        out.im2col(w.im2col(image, kernel, dilation, padding, stride, batchMajor), t.storage, true);
        return new Tensor(image, out);
    }

    /** A sliding window over [N, C, H, W] padded by (ph, pw): the columns' shape [N, C kh kw, L], and oh and ow. */
    private record Window(Shape columns, int oh, int ow) {
        static Window of(String op, Shape image, int[] kernel, int[] dilation, int[] padding, int[] stride) {
            for (int[] pair : new int[][] {kernel, dilation, padding, stride}) {
                if (pair.length != 2) {
                    throw new IllegalArgumentException(op + ": kernel, dilation, padding and stride are pairs (h, w), "
                            + "got " + Arrays.toString(pair));
                }
            }
            for (int i = 0; i < 2; i++) {
                if (kernel[i] < 1 || dilation[i] < 1 || stride[i] < 1 || padding[i] < 0) {
                    throw new IllegalArgumentException(op + ": kernel " + Arrays.toString(kernel) + ", dilation "
                            + Arrays.toString(dilation) + " and stride " + Arrays.toString(stride)
                            + " must be positive, padding " + Arrays.toString(padding) + " non-negative");
                }
            }
            int n = image.dim(0);
            int c = image.dim(1);
            int hp = image.dim(2) + 2 * padding[0];
            int wp = image.dim(3) + 2 * padding[1];
            int spanH = dilation[0] * (kernel[0] - 1) + 1;
            int spanW = dilation[1] * (kernel[1] - 1) + 1;
            if (spanH > hp || spanW > wp) {
                throw new ShapeException(op + ": kernel " + Arrays.toString(kernel) + " with dilation "
                        + Arrays.toString(dilation) + " spans " + spanH + "x" + spanW + ", more than " + image
                        + " padded to " + hp + "x" + wp);
            }
            int oh = (hp - spanH) / stride[0] + 1;
            int ow = (wp - spanW) / stride[1] + 1;
            return new Window(Shape.of(n, c * kernel[0] * kernel[1], oh * ow), oh, ow);
        }

        /** The columns as one matrix over the batch: [C kh kw, N L]. */
        Shape batchColumns() {
            return Shape.of(columns.dim(1), columns.dim(0) * columns.dim(2));
        }

        /** The im2col geometry of this window over {@code image}. */
        Storage.Im2col im2col(Shape image, int[] kernel, int[] dilation, int[] padding, int[] stride, boolean batchMajor) {
            return new Storage.Im2col(image.dim(0), image.dim(1), image.dim(2), image.dim(3), kernel[0], kernel[1],
                    dilation[0], dilation[1], padding[0], padding[1], stride[0], stride[1], oh, ow, batchMajor);
        }
    }

    static int[] broadcastStrides(Shape from, Shape to) {
        int[] s = new int[to.rank()];
        int[] fs = from.strides();
        int offset = to.rank() - from.rank();
        for (int i = 0; i < from.rank(); i++) {
            s[offset + i] = from.dimsView()[i] == 1 ? 0 : fs[i];
        }
        return s;
    }

    static Tensor transpose(Tensor t) {
        return t.rank() < 2 ? t : transpose(t, t.rank() - 2, t.rank() - 1);
    }

    static Tensor transpose(Tensor t, int axis1, int axis2) {
        int a1 = t.shape().normalizeAxis(axis1, "transpose");
        int a2 = t.shape().normalizeAxis(axis2, "transpose");
        int[] dims = t.shape().dims();
        int[] strides = t.shape().strides();
        swap(dims, a1, a2);
        swap(strides, a1, a2);
        Storage out = t.storage.empty(t.size());
        t.storage.gather(dims, strides, 0, out);
        return new Tensor(Shape.of(dims), out);
    }

    static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    static Tensor reshape(Tensor t, int... dims) {
        return new Tensor(newShape("reshape", t, dims), t.storage.copy());
    }

    static Tensor view(Tensor t, int... dims) {
        return new Tensor(newShape("view", t, dims), t.storage);
    }

    private static Shape newShape(String op, Tensor t, int... dims) {
        Shape s = Shape.of(dims);
        if (s.size() != t.size()) {
            throw new ShapeException(op + ": cannot reshape " + t.shape() + " (" + t.size() + " elements) to " + s
                    + " (" + s.size() + " elements)");
        }
        return s;
    }

    static Tensor broadcastTo(Tensor t, Shape target) {
        if (!t.shape().broadcastsTo(target)) {
            throw new ShapeException("broadcastTo: " + t.shape() + " cannot be broadcast to " + target);
        }
        Storage out = t.storage.empty(target.size());
        int lead = target.rank() - t.rank();
        if (t.shape().equals(Shape.of(java.util.Arrays.copyOfRange(target.dimsView(), lead, target.rank())))) {
            t.storage.tileRows(target.size() / Math.max(1, t.size()), out); // a bias-like suffix: whole-row copies
        } else {
            t.storage.gather(target.dimsView(), broadcastStrides(t.shape(), target), 0, out);
        }
        return new Tensor(target, out);
    }

    static Tensor narrow(Tensor t, int axis, int start, int length) {
        int a = t.shape().normalizeAxis(axis, "narrow");
        int n = t.shape().dimsView()[a];
        if (start < 0 || length < 0 || start + length > n) {
            throw new IndexOutOfBoundsException("narrow: [" + start + ", " + (start + length) + ") is outside axis "
                    + a + " of shape " + t.shape() + " (size " + n + ")");
        }
        Shape outShape = t.shape().withDim(a, length);
        Storage out = t.storage.empty(outShape.size());
        int outer = t.shape().sizeBefore(a);
        int inner = t.shape().sizeAfter(a);
        for (int p = 0; p < outer; p++) {
            System.arraycopy(t.storage.array(), (p * n + start) * inner, out.array(), p * length * inner, length * inner);
        }
        return new Tensor(outShape, out);
    }

    static Tensor sliceRows(Tensor t, int from, int to) {
        if (t.rank() == 0) {
            throw new ShapeException("sliceRows: a scalar has no rows");
        }
        return narrow(t, 0, from, to - from);
    }

    static Tensor indexRows(Tensor t, int[] rows) {
        if (t.rank() == 0) {
            throw new ShapeException("indexRows: a scalar has no rows");
        }
        int n = t.shape().dimsView()[0];
        int inner = t.shape().sizeAfter(0);
        Shape outShape = t.shape().withDim(0, rows.length);
        Storage out = t.storage.empty(outShape.size());
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= n) {
                throw new IndexOutOfBoundsException("indexRows: row " + rows[i] + " is out of bounds for shape " + t.shape());
            }
            System.arraycopy(t.storage.array(), rows[i] * inner, out.array(), i * inner, inner);
        }
        return new Tensor(outShape, out);
    }

    static Tensor concat(int axis, Tensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("concat: no tensors given");
        }
        Shape first = parts[0].shape();
        int a = first.normalizeAxis(axis, "concat");
        DType dt = parts[0].dtype();
        int total = 0;
        for (int i = 0; i < parts.length; i++) {
            Shape s = parts[i].shape();
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
            int block = t.shape().dimsView()[a] * inner;
            Object src = t.storage.to(dt).array();
            for (int p = 0; p < outer; p++) {
                System.arraycopy(src, p * block, out.array(), p * total * inner + offset, block);
            }
            offset += block;
        }
        return new Tensor(outShape, out);
    }
}
