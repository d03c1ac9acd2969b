package org.autodiff4j.tensor;

/**
 * The eigendecomposition A = V diag(w) V^T of a real symmetric [n, n] matrix, by the cyclic Jacobi method in
 * float64: rotations zero the off-diagonal entries one pair at a time until they are negligible against the
 * diagonal. Accurate to a few ulps of the largest eigenvalue, including for nearly singular matrices such as
 * covariances of correlated features, which is what a stable matrix square root needs ({@link #sqrt}).
 * O(n^3) per sweep, a handful of sweeps: fine up to a few hundred rows.
 */
public final class SymmetricEigen {
    private static final int MAX_SWEEPS = 100;

    private final double[] values;
    private final double[][] vectors;

    private SymmetricEigen(double[] values, double[][] vectors) {
        this.values = values;
        this.vectors = vectors;
    }

    /**
     * The decomposition of {@code a}, which must be square and symmetric (to 1e-9 of its largest entry).
     *
     * @param a a symmetric [n, n] matrix, any float type
     * @return its eigenvalues (ascending) and eigenvectors
     * @throws IllegalArgumentException naming the shape when {@code a} is not square, or the entry when it is not
     *         symmetric or not finite
     */
    public static SymmetricEigen of(Tensor a) {
        if (a.shape().rank() != 2 || a.shape().dim(0) != a.shape().dim(1)) {
            throw new IllegalArgumentException("SymmetricEigen: needs a square matrix, got " + a.shape());
        }
        int n = a.shape().dim(0);
        double[] flat = a.toDoubleArray();
        double[][] m = new double[n][n];
        double scale = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i][j] = flat[i * n + j];
                if (!Double.isFinite(m[i][j])) {
                    throw new IllegalArgumentException("SymmetricEigen: entry [" + i + ", " + j + "] is " + m[i][j]);
                }
                scale = Math.max(scale, Math.abs(m[i][j]));
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (Math.abs(m[i][j] - m[j][i]) > 1e-9 * Math.max(scale, Double.MIN_NORMAL)) {
                    throw new IllegalArgumentException("SymmetricEigen: not symmetric: [" + i + ", " + j + "] is " + m[i][j]
                            + ", [" + j + ", " + i + "] is " + m[j][i]);
                }
                double mean = 0.5 * (m[i][j] + m[j][i]);
                m[i][j] = mean;
                m[j][i] = mean;
            }
        }
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) {
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < MAX_SWEEPS && offDiagonal(m) > 1e-30 * Math.max(diagonal(m), Double.MIN_NORMAL); sweep++) {
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    rotate(m, v, p, q);
                }
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(m[x][x], m[y][y]));
        double[] w = new double[n];
        double[][] vs = new double[n][n];
        for (int k = 0; k < n; k++) {
            w[k] = m[order[k]][order[k]];
            for (int i = 0; i < n; i++) {
                vs[i][k] = v[i][order[k]];
            }
        }
        return new SymmetricEigen(w, vs);
    }

    /** One Jacobi rotation in the (p, q) plane zeroing m[p][q] (Golub and Van Loan, algorithm 8.5.1). */
    private static void rotate(double[][] m, double[][] v, int p, int q) {
        double apq = m[p][q];
        if (apq == 0) {
            return;
        }
        double theta = (m[q][q] - m[p][p]) / (2 * apq);
        double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        if (theta == 0) {
            t = 1;
        }
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        int n = m.length;
        for (int k = 0; k < n; k++) {
            double mkp = m[k][p];
            double mkq = m[k][q];
            m[k][p] = c * mkp - s * mkq;
            m[k][q] = s * mkp + c * mkq;
        }
        for (int k = 0; k < n; k++) {
            double mpk = m[p][k];
            double mqk = m[q][k];
            m[p][k] = c * mpk - s * mqk;
            m[q][k] = s * mpk + c * mqk;
        }
        for (int k = 0; k < n; k++) {
            double vkp = v[k][p];
            double vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
        }
    }

    private static double offDiagonal(double[][] m) {
        double s = 0;
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m.length; j++) {
                if (i != j) {
                    s += m[i][j] * m[i][j];
                }
            }
        }
        return s;
    }

    private static double diagonal(double[][] m) {
        double s = 0;
        for (int i = 0; i < m.length; i++) {
            s += m[i][i] * m[i][i];
        }
        return s;
    }

    /**
     * The eigenvalues, ascending.
     *
     * @return w, [n] float64
     */
    public Tensor values() {
        return Tensor.of(values.clone(), values.length);
    }

    /**
     * The eigenvectors as columns, in the order of {@link #values}.
     *
     * @return V, [n, n] float64, orthogonal
     */
    public Tensor vectors() {
        return Tensor.of(vectors, DType.FLOAT64);
    }

    /**
     * The symmetric square root V diag(sqrt(max(w, 0))) V^T of a positive semi-definite matrix; eigenvalues
     * below zero by rounding count as zero.
     *
     * @return A^(1/2), [n, n] float64
     */
    public Tensor sqrt() {
        int n = values.length;
        double[][] r = new double[n][n];
        for (int k = 0; k < n; k++) {
            double s = Math.sqrt(Math.max(values[k], 0));
            for (int i = 0; i < n; i++) {
                double vik = vectors[i][k] * s;
                for (int j = 0; j < n; j++) {
                    r[i][j] += vik * vectors[j][k];
                }
            }
        }
        return Tensor.of(r, DType.FLOAT64);
    }
}
