package org.autodiff4j.tensor;

/** The creation family behind {@link Tensor}: constants, wrapped arrays, one-hot rows and seeded random draws. */
final class Creation {
    private Creation() {
    }

    static Tensor zeros(DType dtype, int... dims) {
        Shape s = Shape.of(dims);
        return new Tensor(s, Storage.zeros(dtype, s.size()));
    }

    static Tensor zeros(Shape shape, DType dtype) {
        return zeros(dtype, shape.dims());
    }

    static Tensor ones(DType dtype, int... dims) {
        return full(1.0, dtype, dims);
    }

    static Tensor full(double value, DType dtype, int... dims) {
        Tensor t = zeros(dtype, dims);
        t.storage.fill(value);
        return t;
    }

    static Tensor scalar(double value, DType dtype) {
        return full(value, dtype);
    }

    static Tensor wrap(float[] data, int... dims) {
        return new Tensor(checkedShape(data.length, dims), new F32Storage(data));
    }

    static Tensor of(float[] data, int... dims) {
        Shape s = checkedShape(data.length, dims);
        return new Tensor(s, new F32Storage(data.clone()));
    }

    static Tensor of(double[] data, int... dims) {
        Shape s = checkedShape(data.length, dims);
        return new Tensor(s, new F64Storage(data.clone()));
    }

    static Tensor of(DType dtype, double[] data, int... dims) {
        return of(data, dims).to(dtype);
    }

    static Tensor of(double[][] rows, DType dtype) {
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

    static Shape checkedShape(int length, int[] dims) {
        Shape s = Shape.of(dims);
        if (s.size() != length) {
            throw new ShapeException("of: " + length + " values cannot fill shape " + s + " (" + s.size() + " elements)");
        }
        return s;
    }

    static Tensor oneHot(int[] labels, int classes, DType dtype) {
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

    static Tensor eye(int n, DType dtype) {
        Tensor t = zeros(dtype, n, n);
        for (int i = 0; i < n; i++) {
            t.storage.set(i * n + i, 1.0);
        }
        return t;
    }

    static Tensor uniform(Generator g, double lo, double hi, DType dtype, int... dims) {
        Tensor t = zeros(dtype, dims);
        for (int i = 0; i < t.size(); i++) {
            t.storage.set(i, lo + (hi - lo) * g.nextDouble());
        }
        return t;
    }

    static Tensor rand(Generator g, DType dtype, int... dims) {
        return uniform(g, 0.0, 1.0, dtype, dims);
    }

    static Tensor randn(Generator g, DType dtype, int... dims) {
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

    static final int RANDN_CHUNK = 1 << 14;

    static void fillGaussian(Storage s, Generator g, int from, int to) {
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

    static Tensor bernoulli(Tensor t, Generator g) {
        Tensor out = zeros(t.dtype(), t.shape().dimsView());
        for (int i = 0; i < t.size(); i++) {
            double p = t.storage.get(i);
            if (!(p >= 0.0 && p <= 1.0)) {
                throw new IllegalArgumentException("bernoulli: probability " + p + " at flat index " + i
                        + " is outside [0, 1]");
            }
            out.storage.set(i, g.nextDouble() < p ? 1.0 : 0.0);
        }
        return out;
    }
}
