package org.autodiff4j.tensor;

import java.util.Arrays;

/**
 * The dimensions of a tensor, outermost first (row-major). Prints as {@code [2, 3]}; a scalar is
 * {@code []}. Any rank is representable; the backend currently stores ranks 0 to 2 densely and
 * every op is written against the rank-generic methods here.
 *
 * @param dims the sizes of each axis, all non-negative (copied on the way in and out)
 */
public record Shape(int[] dims) {

    /** The shape of a rank-0 tensor. */
    public static final Shape SCALAR = new Shape(new int[0]);

    /**
     * Validates and copies the dimensions; throws IllegalArgumentException for a negative size.
     *
     * @param dims the dimensions
     */
    public Shape {
        dims = dims.clone();
        long size = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("shape: negative dimension in " + Arrays.toString(dims));
            }
            size *= d;
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape: " + Arrays.toString(dims) + " has more than "
                        + Integer.MAX_VALUE + " elements");
            }
        }
    }

    /**
     * A shape with the given dimensions.
     *
     * @param dims the dimensions
     * @return a shape with the given dimensions
     */
    public static Shape of(int... dims) {
        return new Shape(dims);
    }

    /**
     * A copy of the dimensions.
     *
     * @return a copy of the dimensions
     */
    @Override
    public int[] dims() {
        return dims.clone();
    }

    /** The dimensions without a copy, for this package's own loops; never modified. */
    int[] dimsView() {
        return dims;
    }

    /**
     * Number of axes.
     *
     * @return number of axes
     */
    public int rank() {
        return dims.length;
    }

    /**
     * Size of one axis; negative axes count from the end as in PyTorch.
     *
     * @param axis the axis (negative values count from the end)
     * @return size of one axis
     */
    public int dim(int axis) {
        return dims[normalizeAxis(axis, "dim")];
    }

    /**
     * Number of elements (1 for a scalar).
     *
     * @return number of elements (1 for a scalar)
     */
    public int size() {
        int size = 1;
        for (int d : dims) {
            size *= d;
        }
        return size;
    }

    /**
     * Maps a possibly negative axis to {@code 0..rank-1}; throws naming the op when out of range.
     *
     * @param axis the axis (negative values count from the end)
     * @param op the op's name, for error messages
     * @return the axis in {@code 0..rank-1}
     */
    public int normalizeAxis(int axis, String op) {
        int r = dims.length;
        if (axis < -r || axis >= r) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for shape " + this
                    + " (rank " + r + ")");
        }
        return axis < 0 ? axis + r : axis;
    }

    /**
     * Row-major strides in elements: the last axis has stride 1.
     *
     * @return row-major strides in elements
     */
    public int[] strides() {
        int[] strides = new int[dims.length];
        int s = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= dims[i];
        }
        return strides;
    }

    /**
     * Product of the sizes of the axes before {@code axis}.
     *
     * @param axis the axis (negative values count from the end)
     * @return product of the sizes of the axes before {@code axis}
     */
    public int sizeBefore(int axis) {
        int s = 1;
        for (int i = 0; i < axis; i++) {
            s *= dims[i];
        }
        return s;
    }

    /**
     * Product of the sizes of the axes after {@code axis}.
     *
     * @param axis the axis (negative values count from the end)
     * @return product of the sizes of the axes after {@code axis}
     */
    public int sizeAfter(int axis) {
        int s = 1;
        for (int i = axis + 1; i < dims.length; i++) {
            s *= dims[i];
        }
        return s;
    }

    /**
     * This shape with one axis replaced by the given size.
     *
     * @param axis the axis (negative values count from the end)
     * @param size the new size of that axis
     * @return this shape with one axis replaced by the given size
     */
    public Shape withDim(int axis, int size) {
        int[] d = dims.clone();
        d[normalizeAxis(axis, "withDim")] = size;
        return new Shape(d);
    }

    /**
     * This shape with one axis removed.
     *
     * @param axis the axis (negative values count from the end)
     * @return this shape with one axis removed
     */
    public Shape withoutDim(int axis) {
        int a = normalizeAxis(axis, "withoutDim");
        int[] d = new int[dims.length - 1];
        System.arraycopy(dims, 0, d, 0, a);
        System.arraycopy(dims, a + 1, d, a, dims.length - a - 1);
        return new Shape(d);
    }

    /**
     * The shape two operands broadcast to under NumPy/PyTorch rules: align trailing axes; sizes
     * must be equal or one of them 1.
     *
     * @param other the other operand's shape
     * @param op the op's name, for error messages
     * @return the broadcast shape
     * @throws ShapeException naming {@code op}, both shapes and the first axis that differs
     */
    public Shape broadcastWith(Shape other, String op) {
        if (this.equals(other)) {
            return this;
        }
        int r = Math.max(rank(), other.rank());
        int[] out = new int[r];
        for (int i = r - 1; i >= 0; i--) {
            int a = dimFromEnd(r - 1 - i);
            int b = other.dimFromEnd(r - 1 - i);
            if (a != b && a != 1 && b != 1) {
                throw new ShapeException(op + ": shapes cannot be broadcast: " + this + " vs " + other
                        + " (axis " + (i - r) + ": " + a + " != " + b + ")");
            }
            out[i] = a == 1 ? b : a;
        }
        return new Shape(out);
    }

    /**
     * True when this shape broadcasts to {@code target} without changing {@code target}.
     *
     * @param target the shape to broadcast to
     * @return true when this shape broadcasts to {@code target} without changing {@code target}
     */
    public boolean broadcastsTo(Shape target) {
        if (rank() > target.rank()) {
            return false;
        }
        for (int i = 0; i < rank(); i++) {
            int a = dimFromEnd(i);
            if (a != 1 && a != target.dimFromEnd(i)) {
                return false;
            }
        }
        return true;
    }

    /** Size of the axis {@code k} places from the end (0 is the last); 1 beyond the rank. */
    private int dimFromEnd(int k) {
        return k < dims.length ? dims[dims.length - 1 - k] : 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
