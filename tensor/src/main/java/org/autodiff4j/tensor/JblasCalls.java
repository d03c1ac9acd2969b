package org.autodiff4j.tensor;

/**
 * The only class that names jblas, so that the rest of the library loads without it (jblas is an optional
 * dependency). Arguments are in BLAS's column-major order.
 */
final class JblasCalls {
    private JblasCalls() {
    }

    /** Loads jblas's native library with its logging off; null when a 1x1 product is right, else why not. */
    static String selfTest() {
        // NOTE: jblas logs every step of its library search to stderr (and its failures as ERROR lines even
        // when a later step succeeds); the route's own description says what loaded instead.
        org.jblas.util.Logger.getLogger().setLevel(org.jblas.util.Logger.ERROR + 1);
        try {
            float[] out = {0f};
            org.jblas.NativeBlas.sgemm('N', 'N', 1, 1, 1, 1f, new float[] {2f}, 0, 1, new float[] {3f}, 0, 1, 0f, out, 0, 1);
            return out[0] == 6f ? null : "jblas's sgemm self-test returned " + out[0];
        } catch (UnsatisfiedLinkError e) {
            return "jblas's native library did not load (its bundled copy needs libgfortran5)";
        } catch (Throwable t) { // ExceptionInInitializerError, NoClassDefFoundError
            return "jblas did not load (" + t + ")";
        }
    }

    static void sgemm(char ta, char tb, int m, int n, int k, float alpha, float[] a, int lda, float[] b, int ldb,
                      float beta, float[] c, int ldc) {
        org.jblas.NativeBlas.sgemm(ta, tb, m, n, k, alpha, a, 0, lda, b, 0, ldb, beta, c, 0, ldc);
    }

    static void dgemm(char ta, char tb, int m, int n, int k, double alpha, double[] a, int lda, double[] b, int ldb,
                      double beta, double[] c, int ldc) {
        org.jblas.NativeBlas.dgemm(ta, tb, m, n, k, alpha, a, 0, lda, b, 0, ldb, beta, c, 0, ldc);
    }
}
