package org.autodiff4j.tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The native BLAS behind matrix products: jblas's JNI library, which prefers a system copy (Debian's
 * {@code jblas} package, linked against OpenBLAS) over the one bundled in its jar. Loaded on first
 * use; when no native library can load, every product throws an {@link IllegalStateException} that
 * says what to install.
 */
public final class Blas {
    /** What to install when no native BLAS loads. */
    static final String INSTALL_HINT = "install a native BLAS for jblas: on Debian or Ubuntu run "
            + "'apt-get install -y jblas libopenblas0-pthread' (the system jblas native, backed by "
            + "multi-threaded OpenBLAS), or at least 'apt-get install -y libgfortran5', which jblas's "
            + "bundled native needs";

    private Blas() {
    }

    /** Holder idiom: the native library is loaded, once, when a product first needs it. */
    private static final class Native {
        static final Throwable LOAD_ERROR = load();

        private static Throwable load() {
            try {
                float[] one = {1f};
                float[] out = new float[1];
                org.jblas.NativeBlas.sgemm('N', 'N', 1, 1, 1, 1f, one, 0, 1, one, 0, 1, 0f, out, 0, 1);
                return out[0] == 1f ? null : new IllegalStateException("sgemm self-test returned " + out[0]);
            } catch (Throwable t) { // UnsatisfiedLinkError, ExceptionInInitializerError, NoClassDefFoundError
                return t;
            }
        }
    }

    /**
     * Loads the native library if needed.
     *
     * @throws IllegalStateException naming the cause and what to install when it cannot load
     */
    public static void ensureLoaded() {
        Throwable error = Native.LOAD_ERROR;
        if (error != null) {
            throw new IllegalStateException("no native BLAS could be loaded (" + error + "); " + INSTALL_HINT, error);
        }
    }

    /**
     * Describes the loaded native libraries: the jblas JNI library and the BLAS it runs on, as mapped
     * into this process, e.g. {@code jblas native /usr/lib/jni/libjblas.so (system) on
     * .../libopenblasp-r0.3.21.so}. Loads the library first.
     */
    public static String describe() {
        ensureLoaded();
        Set<String> libs = mappedLibraries();
        String jni = libs.stream().filter(l -> l.contains("libjblas.so")).findFirst().orElse("(unknown path)");
        String origin = jni.contains(System.getProperty("java.io.tmpdir") + "/jblas") ? "bundled" : "system";
        List<String> blas = libs.stream()
                .filter(l -> l.contains("openblas") || l.contains("libblas") || l.contains("gfortran"))
                .filter(l -> !l.contains("libjblas")).toList();
        return "jblas native " + jni + " (" + origin + ")" + (blas.isEmpty() ? "" : " on " + String.join(", ", blas));
    }

    private static Set<String> mappedLibraries() {
        Set<String> libs = new LinkedHashSet<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash >= 0 && line.contains(".so")) {
                    libs.add(line.substring(slash).trim());
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            libs.add("(library paths unavailable: " + e.getMessage() + ")");
        }
        return libs;
    }

    /** Row-major single-precision gemm; see {@link Storage#gemm}. */
    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int lda, float[] b, int ldb, float beta, float[] c) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            for (int i = 0; i < m * n; i++) {
                c[i] = beta == 0f ? 0f : beta * c[i];
            }
            return;
        }
        ensureLoaded();
        // Row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T: swap operands, keep flags.
        org.jblas.NativeBlas.sgemm(transB ? 'T' : 'N', transA ? 'T' : 'N', n, m, k,
                alpha, b, 0, ldb, a, 0, lda, beta, c, 0, n);
    }

    /** Row-major double-precision gemm; see {@link Storage#gemm}. */
    static void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                      double[] a, int lda, double[] b, int ldb, double beta, double[] c) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            for (int i = 0; i < m * n; i++) {
                c[i] = beta == 0.0 ? 0.0 : beta * c[i];
            }
            return;
        }
        ensureLoaded();
        org.jblas.NativeBlas.dgemm(transB ? 'T' : 'N', transA ? 'T' : 'N', n, m, k,
                alpha, b, 0, ldb, a, 0, lda, beta, c, 0, n);
    }
}
