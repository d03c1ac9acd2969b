package org.autodiff4j.tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;

/**
 * The native BLAS behind matrix products. Two routes, chosen once on first use:
 * <ul>
 * <li>{@code netlib}: dev.ludovic.netlib's JNI binding to the system {@code libblas.so.3}, used when that
 * library is an optimised one (OpenBLAS, MKL, BLIS). It pins the Java arrays instead of copying them.</li>
 * <li>{@code jblas}: jblas's JNI library, which prefers a system copy (Debian's {@code jblas} package,
 * linked against OpenBLAS) over the one bundled in its jar. It copies each array in and out.</li>
 * </ul>
 * The system property {@code autodiff4j.blas} ({@code auto}, {@code netlib} or {@code jblas}) forces one.
 * When no native library can load, every product throws an {@link IllegalStateException} that says what
 * to install. Threads: OpenBLAS reads {@code OPENBLAS_NUM_THREADS} at load time.
 */
public final class Blas {
    /** What to install when no native BLAS loads. */
    static final String INSTALL_HINT = "install a native BLAS for jblas: on Debian or Ubuntu run "
            + "'apt-get install -y jblas libopenblas0-pthread' (the system jblas native, backed by "
            + "multi-threaded OpenBLAS), or at least 'apt-get install -y libgfortran5', which jblas's "
            + "bundled native needs";

    /** The system property that selects the route. */
    static final String ROUTE_PROPERTY = "autodiff4j.blas";

    /** The two ways to reach a native gemm. */
    enum Route { NETLIB, JBLAS }

    private Blas() {
    }

    /** Holder idiom: jblas's native library is loaded, once, when the jblas route first needs it. */
    private static final class JblasNative {
        static final Throwable ERROR = load();

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

    /** Holder idiom: the netlib binding is tried and the route chosen, once, on first use. */
    private static final class Native {
        static final String WANTED = System.getProperty(ROUTE_PROPERTY, "auto");
        static final BLAS NETLIB = WANTED.equals("auto") || WANTED.equals("netlib") ? loadNetlib() : null;
        /** The route, or null when the property asks for something unavailable or unknown. */
        static final Route ROUTE = switch (WANTED) {
            case "jblas" -> Route.JBLAS;
            case "netlib" -> NETLIB == null ? null : Route.NETLIB;
            case "auto" -> NETLIB != null && optimised(systemBlas()) ? Route.NETLIB : Route.JBLAS;
            default -> null;
        };

        /** The netlib binding when it loads and passes a self-test, else null. */
        private static BLAS loadNetlib() {
            // NOTE: netlib logs a warning for each implementation it fails to find (its pure-Java one needs
            // the incubating Vector API); that is expected here, so its logger is quiet while it loads.
            Logger log = Logger.getLogger("dev.ludovic.netlib.blas.InstanceBuilder");
            Level before = log.getLevel();
            log.setLevel(Level.OFF);
            try {
                BLAS blas = NativeBLAS.getInstance();
                float[] one = {1f};
                float[] out = new float[1];
                blas.sgemm("N", "N", 1, 1, 1, 1f, one, 0, 1, one, 0, 1, 0f, out, 0, 1);
                return out[0] == 1f ? blas : null;
            } catch (Throwable t) { // RuntimeException "Unable to load native implementation", linkage errors
                return null;
            } finally {
                log.setLevel(before);
            }
        }
    }

    /**
     * Loads the native library if needed.
     *
     * @throws IllegalStateException naming the cause and what to install when it cannot load
     * @throws IllegalArgumentException when {@code -Dautodiff4j.blas} has a value other than auto, netlib, jblas
     */
    public static void ensureLoaded() {
        if (Native.ROUTE == null) {
            throw Native.WANTED.equals("netlib")
                    ? new IllegalStateException("-D" + ROUTE_PROPERTY + "=netlib, but the netlib binding to "
                            + "libblas.so.3 did not load; " + INSTALL_HINT)
                    : new IllegalArgumentException("-D" + ROUTE_PROPERTY + "=" + Native.WANTED
                            + ": allowed values are auto, netlib and jblas");
        }
        if (Native.ROUTE == Route.JBLAS && JblasNative.ERROR != null) {
            Throwable error = JblasNative.ERROR;
            throw new IllegalStateException("no native BLAS could be loaded (" + error + "); " + INSTALL_HINT, error);
        }
    }

    /**
     * Describes the route and the native libraries behind it, as mapped into this process, e.g.
     * {@code netlib JNI on /usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so} or
     * {@code jblas native /usr/lib/jni/libjblas.so (system) on .../libopenblasp-r0.3.21.so}. Loads first.
     */
    public static String describe() {
        ensureLoaded();
        Set<String> libs = mappedLibraries();
        if (Native.ROUTE == Route.NETLIB) {
            return "netlib JNI on " + String.join(", ", systemBlas());
        }
        String jni = libs.stream().filter(l -> l.contains("libjblas.so")).findFirst().orElse("(unknown path)");
        String origin = jni.contains(System.getProperty("java.io.tmpdir") + "/jblas") ? "bundled" : "system";
        List<String> blas = libs.stream()
                .filter(l -> l.contains("openblas") || l.contains("libblas") || l.contains("gfortran"))
                .filter(l -> !l.contains("libjblas")).toList();
        return "jblas native " + jni + " (" + origin + ")" + (blas.isEmpty() ? "" : " on " + String.join(", ", blas));
    }

    /** The route products take: {@code netlib} or {@code jblas}. Loads first. */
    public static String route() {
        ensureLoaded();
        return Native.ROUTE.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The BLAS libraries mapped into this process apart from jblas's own. */
    private static List<String> systemBlas() {
        return mappedLibraries().stream()
                .filter(l -> l.contains("blas") || l.contains("mkl") || l.contains("blis"))
                .filter(l -> !l.contains("libjblas") && !l.contains("netlibblasjni")).toList();
    }

    /** Whether the libraries include an optimised BLAS rather than the reference one. */
    private static boolean optimised(List<String> libs) {
        return libs.stream().anyMatch(l -> l.contains("openblas") || l.contains("mkl") || l.contains("blis"));
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

    /** Row-major single-precision gemm on the chosen route; see {@link Storage#gemm}. */
    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int lda, float[] b, int ldb, float beta, float[] c) {
        ensureLoaded();
        sgemm(Native.ROUTE, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c);
    }

    /** Row-major single-precision gemm on the given route (tests compare the two). */
    static void sgemm(Route route, boolean transA, boolean transB, int m, int n, int k, float alpha,
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
        // Row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T: swap operands, keep flags.
        if (route == Route.NETLIB) {
            Native.NETLIB.sgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha, b, 0, ldb, a, 0, lda, beta, c, 0, n);
        } else {
            org.jblas.NativeBlas.sgemm(transB ? 'T' : 'N', transA ? 'T' : 'N', n, m, k,
                    alpha, b, 0, ldb, a, 0, lda, beta, c, 0, n);
        }
    }

    /** Row-major double-precision gemm on the chosen route; see {@link Storage#gemm}. */
    static void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                      double[] a, int lda, double[] b, int ldb, double beta, double[] c) {
        ensureLoaded();
        dgemm(Native.ROUTE, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c);
    }

    /** Row-major double-precision gemm on the given route. */
    static void dgemm(Route route, boolean transA, boolean transB, int m, int n, int k, double alpha,
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
        if (route == Route.NETLIB) {
            Native.NETLIB.dgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha, b, 0, ldb, a, 0, lda, beta, c, 0, n);
        } else {
            org.jblas.NativeBlas.dgemm(transB ? 'T' : 'N', transA ? 'T' : 'N', n, m, k,
                    alpha, b, 0, ldb, a, 0, lda, beta, c, 0, n);
        }
    }

    /** Whether a route can run here (tests skip the other one's comparison when it cannot). */
    static boolean available(Route route) {
        return route == Route.NETLIB ? Native.NETLIB != null : JblasNative.ERROR == null;
    }
}
