package org.autodiff4j.tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;

/**
 * The BLAS behind matrix products. Three routes, chosen once per process on first use:
 * <ul>
 * <li>{@code native}: dev.ludovic.netlib's JNI binding to the system BLAS ({@code libblas.so.3} on
 * Linux; OpenBLAS, MKL or BLIS behind it), pinning the Java arrays instead of copying them; on a machine without a
 * system OpenBLAS (or with {@code -Dautodiff4j.blas=maven}) the same binding opens the OpenBLAS that came from Maven
 * Central with the library ({@code org.bytedeco:openblas}, copied once into the user cache: {@link MavenOpenBlas}).</li>
 * <li>{@code jblas}: jblas's JNI library (a system copy first, else the one bundled in its jar), used only
 * when jblas is on the class path: it is an optional dependency.</li>
 * <li>{@code java}: netlib's pure-Java BLAS (its Vector API variant when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}), split over {@link Parallelism#threads()} threads. It always
 * works, about ten times slower than OpenBLAS.</li>
 * </ul>
 * With {@code -Dautodiff4j.blas=auto} (the default) the native route is taken when it loads and multiplies at
 * least {@value #FAST_GFLOPS} GFLOPS in a short measurement (a reference BLAS is slower); else the java route
 * when it runs on the Vector API or jblas does not load, else jblas. Falling back to the java route prints
 * one warning line on standard error.
 * {@code -Dautodiff4j.blas=native|maven|jblas|java} forces a route ({@code native}: the system library). Threads: OpenBLAS reads
 * {@code OPENBLAS_NUM_THREADS} at load time, and {@code OPENBLAS_THREAD_TIMEOUT}: how long (2^N cycles) its idle threads
 * call sched_yield before they sleep. The launcher sets 4 (at once); the default keeps them on a core for about 0.1 s
 * after each product, which slowed a DCGAN step by 14% on 2 cores.
 */
// NOTE: a little over 400 lines: the routes' choice, their description and the gemm dispatch stay together so that
// one file says which library a product runs on; the Maven OpenBLAS's copying and detection are in MavenOpenBlas.
public final class Blas {
    /** The system property that selects the route. */
    static final String ROUTE_PROPERTY = "autodiff4j.blas";
    /** The system property whose text ends the fallback warning (the launcher names its setup command). */
    static final String HINT_PROPERTY = "autodiff4j.blas.hint";
    /** The rate (GFLOPS) at which a native route counts as an optimised BLAS in automatic selection. */
    static final double FAST_GFLOPS = 10;

    /** The ways to reach a gemm. */
    enum Route {
        /** netlib's JNI binding to the system BLAS. */
        NATIVE,
        /** jblas's JNI library. */
        JBLAS,
        /** netlib's pure-Java BLAS. */
        JAVA;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private Blas() {
    }

    /** Holder idiom: jblas is tried once, when a route first needs it. */
    private static final class Jblas {
        /** Null when jblas loaded and passed a self-test, else why not. */
        static final String ERROR = load();

        private static String load() {
            try {
                Class.forName("org.jblas.NativeBlas", false, Blas.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                return "jblas is not on the class path";
            }
            return JblasCalls.selfTest();
        }
    }

    /**
     * Holder idiom: netlib's native binding is tried once, on the system BLAS or, when the route asks for it or no
     * system OpenBLAS is installed, on the OpenBLAS from Maven ({@link MavenOpenBlas}).
     */
    private static final class Native {
        /** Why the Maven OpenBLAS was not used, or null when it was chosen. */
        static String mavenSkipped = "a system BLAS was chosen";
        /** Whether netlib was pointed at the Maven OpenBLAS. */
        static boolean maven;
        static final BLAS BLAS = quietly(Native::load);
        /** Null when it loaded, else why not. */
        static final String ERROR = BLAS != null ? null : maven ? "the OpenBLAS from Maven did not load ("
                + System.getProperty(MavenOpenBlas.NETLIB_PATH) + ")"
                : "no system BLAS loaded (netlib looks for "
                        + System.getProperty("dev.ludovic.netlib.blas.nativeLib", "libblas.so.3") + ")"
                        + (mavenSkipped != null ? "; the OpenBLAS from Maven: " + mavenSkipped : "");

        private static BLAS load() {
            mavenSkipped = MavenOpenBlas.pointNetlib(System.getProperty(ROUTE_PROPERTY, "auto").trim()
                    .toLowerCase(Locale.ROOT));
            maven = mavenSkipped == null;
            if (!maven && "maven".equals(System.getProperty(ROUTE_PROPERTY, "").trim().toLowerCase(Locale.ROOT))) {
                return null;
            }
            BLAS blas = NativeBLAS.getInstance();
            return selfTest((ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c) ->
                    blas.sgemm(ta, tb, m, n, k, alpha, a, 0, lda, b, 0, ldb, beta, c, 0, m)) ? blas : null;
        }
    }

    /** Holder idiom: netlib's pure-Java BLAS, which always loads. */
    private static final class Java {
        static final BLAS BLAS = quietly(JavaBLAS::getInstance);
    }

    /** The route, once chosen. */
    private static volatile Route chosen;

    /** The gemm a route runs, in netlib's column-major argument order without offsets. */
    @FunctionalInterface
    private interface Sgemm {
        void run(String ta, String tb, int m, int n, int k, float alpha, float[] a, int lda, float[] b, int ldb,
                 float beta, float[] c);
    }

    /** Whether a 1x1 product through {@code gemm} gives the right answer (it may throw a linkage error). */
    private static boolean selfTest(Sgemm gemm) {
        float[] out = {0f};
        gemm.run("N", "N", 1, 1, 1, 1f, new float[] {2f}, 1, new float[] {3f}, 1, 0f, out);
        return out[0] == 6f;
    }

    /** Runs a netlib factory with netlib's logger off (it logs each implementation it fails to find). */
    private static BLAS quietly(java.util.function.Supplier<BLAS> factory) {
        Logger log = Logger.getLogger("dev.ludovic.netlib.blas.InstanceBuilder");
        Level before = log.getLevel();
        log.setLevel(Level.OFF);
        try {
            return factory.get();
        } catch (Throwable t) { // RuntimeException "Unable to load native implementation", linkage errors
            return null;
        } finally {
            log.setLevel(before);
        }
    }

    private static Route choose(String wanted) {
        switch (wanted) {
            case "native", "netlib", "maven" -> {
                return require(Route.NATIVE);
            }
            case "jblas" -> {
                return require(Route.JBLAS);
            }
            case "java" -> {
                // NOTE: netlib builds its native instance together with the Java one; asked for java only, it
                // need not try (and print a failed dlopen) unless the user set netlib's property themselves.
                if (System.getProperty("dev.ludovic.netlib.blas.allowNative") == null) {
                    System.setProperty("dev.ludovic.netlib.blas.allowNative", "false");
                }
                return require(Route.JAVA);
            }
            case "auto" -> {
                // NOTE: measured here (side-by-side.py, VAE s/epoch; info, sgemm 1024^3 on 2 threads): native
                // OpenBLAS 3.8 s / 115 GFLOPS, the pure-Java VectorBLAS 8.9 s / 48-64, jblas's bundled native
                // 12.5 s / 23 (single-threaded), Java11BLAS 8.5 GFLOPS. Hence the order.
                if (available(Route.NATIVE) && reachesFastRate(Route.NATIVE)) {
                    return Route.NATIVE;
                }
                if (vectorApi() || !available(Route.JBLAS)) {
                    return Route.JAVA;
                }
                return Route.JBLAS;
            }
            default -> throw new IllegalArgumentException("-D" + ROUTE_PROPERTY + "=" + wanted
                    + ": allowed values are auto, native, maven, jblas and java");
        }
    }

    /** Whether netlib's pure-Java BLAS runs on the Vector API (the JVM was started with jdk.incubator.vector). */
    private static boolean vectorApi() {
        return Java.BLAS != null && Java.BLAS.getClass().getSimpleName().equals("VectorBLAS");
    }

    private static Route require(Route r) {
        if (!available(r)) {
            throw new IllegalStateException("-D" + ROUTE_PROPERTY + "=" + r.label() + ", but " + unavailableReason(r));
        }
        return r;
    }

    private static String fallbackWarning() {
        List<String> why = new ArrayList<>();
        for (Route r : List.of(Route.NATIVE, Route.JBLAS)) {
            why.add(!available(r) ? unavailableReason(r) : r == Route.NATIVE ? "the system BLAS is slow (a reference BLAS)"
                    : "jblas's native is slower than the Vector API");
        }
        String hint = System.getProperty(HINT_PROPERTY,
                "install OpenBLAS for the fast native route (Debian or Ubuntu: apt-get install -y libopenblas0-pthread)");
        return "autodiff4j: warning: using the pure-Java BLAS, about ten times slower (" + String.join("; ", why)
                + "); " + hint;
    }

    private static String unavailableReason(Route r) {
        return switch (r) {
            case NATIVE -> Native.ERROR;
            case JBLAS -> Jblas.ERROR;
            case JAVA -> "netlib's pure-Java BLAS did not load";
        };
    }

    /**
     * Chooses the route if that has not happened yet.
     *
     * @throws IllegalStateException when {@code -Dautodiff4j.blas} forces a route that cannot load here
     * @throws IllegalArgumentException when {@code -Dautodiff4j.blas} has a value other than auto, native,
     *         jblas or java
     */
    public static void ensureLoaded() {
        chosen();
    }

    /** The route, chosen on the first call; a bad property throws on every call, not just the first. */
    private static Route chosen() {
        Route r = chosen;
        if (r == null) {
            synchronized (Blas.class) {
                if (chosen == null) {
                    String wanted = System.getProperty(ROUTE_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
                    Route picked = choose(wanted);
                    if (picked == Route.JAVA && wanted.equals("auto")) {
                        System.err.println(fallbackWarning());
                    }
                    chosen = picked;
                }
                r = chosen;
            }
        }
        return r;
    }

    /**
     * The route products take: {@code native}, {@code jblas} or {@code java}. Chooses it first.
     *
     * @return the route's name
     */
    public static String route() {
        return chosen().label();
    }

    /**
     * Describes the route and, where the operating system says (Linux), the library behind it, e.g.
     * {@code native: netlib JNI on /usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so} or
     * {@code java: netlib VectorBLAS, 2 threads}. Chooses the route first.
     *
     * @return one line for logs and reports
     */
    public static String describe() {
        return switch (chosen()) {
            case NATIVE -> {
                List<String> libs = mappedLibraries().stream()
                        .filter(l -> l.contains("blas") || l.contains("mkl") || l.contains("blis"))
                        .filter(l -> !l.contains("libjblas") && !l.contains("netlibblasjni")).toList();
                yield (Native.maven ? "native: OpenBLAS " + MavenOpenBlas.VERSION.substring(0,
                        MavenOpenBlas.VERSION.indexOf('-')) + " from Maven Central (org.bytedeco:openblas), netlib JNI on "
                        : "native: netlib JNI on ") + orUnknown(libs)
                        + (libs.stream().anyMatch(l -> l.contains("openblas")) ? ", OPENBLAS_THREAD_TIMEOUT="
                        + System.getenv().getOrDefault("OPENBLAS_THREAD_TIMEOUT",
                                "unset (idle threads spin after each product; 4 is faster here)") : "");
            }
            case JBLAS -> {
                List<String> libs = mappedLibraries().stream().filter(l -> l.contains("libjblas")).toList();
                String origin = libs.stream().anyMatch(l -> l.contains(System.getProperty("java.io.tmpdir") + "/jblas"))
                        ? " (bundled)" : libs.isEmpty() ? "" : " (system)";
                yield "jblas: jblas native " + orUnknown(libs) + origin;
            }
            case JAVA -> "java: netlib " + Java.BLAS.getClass().getSimpleName() + ", " + Parallelism.threads()
                    + " threads" + (Java.BLAS.getClass().getSimpleName().equals("VectorBLAS") ? ""
                    : " (--add-modules jdk.incubator.vector selects the faster VectorBLAS)");
        };
    }

    private static String orUnknown(List<String> libs) {
        return libs.isEmpty() ? "(library path not reported by this system)" : String.join(", ", libs);
    }

    /** The shared libraries mapped into this process (Linux only; elsewhere empty). Used only to describe. */
    private static Set<String> mappedLibraries() {
        Set<String> libs = new LinkedHashSet<>();
        Path maps = Path.of("/proc/self/maps");
        if (Files.isReadable(maps)) {
            try {
                for (String line : Files.readAllLines(maps)) {
                    int slash = line.indexOf('/');
                    if (slash >= 0 && line.contains(".so")) {
                        libs.add(line.substring(slash).trim());
                    }
                }
            } catch (IOException e) {
                return Set.of();
            }
        }
        return libs;
    }

    /**
     * Whether a route multiplies 256x256 float32 matrices at {@value #FAST_GFLOPS} GFLOPS or more in any of up
     * to 20 tries. NOTE: single short products are noisy (OpenBLAS's threads may be asleep: one in three
     * first measurements here was 1 GFLOPS at 128^3, the others 40), so it stops at the first fast one; a
     * reference BLAS (1-3 GFLOPS) spends about 0.3 s failing all 20.
     */
    private static boolean reachesFastRate(Route route) {
        Square p = new Square(256);
        for (int rep = 0; rep < 20; rep++) {
            if (p.gflops(route) >= FAST_GFLOPS) {
                return true;
            }
        }
        return false;
    }

    /**
     * The best rate of a few square float32 products of size {@code n} on a route, in GFLOPS (the first
     * call warms up).
     */
    static double measuredGflops(Route route, int n) {
        Square p = new Square(n);
        p.gflops(route);
        double best = 0;
        for (int rep = 1; rep < 6; rep++) {
            best = Math.max(best, p.gflops(route));
        }
        return best;
    }

    /** Operands of an n x n float32 product, timed on a route. */
    private record Square(int n, float[] a, float[] b, float[] c) {
        Square(int n) {
            this(n, new float[n * n], new float[n * n], new float[n * n]);
            java.util.Arrays.fill(a, 0.5f);
            java.util.Arrays.fill(b, 0.25f);
        }

        /** The rate of one product, in GFLOPS. */
        double gflops(Route route) {
            long t = System.nanoTime();
            sgemm(route, false, false, n, n, n, 1f, a, n, b, n, 0f, c);
            return 2.0 * n * n * n / Math.max(1, System.nanoTime() - t);
        }
    }

    /** Row-major single-precision gemm on the chosen route; see {@link Storage#gemm}. */
    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int lda, float[] b, int ldb, float beta, float[] c) {
        sgemm(chosen(), transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c);
    }

    /** Row-major double-precision gemm on the chosen route; see {@link Storage#gemm}. */
    static void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                      double[] a, int lda, double[] b, int ldb, double beta, double[] c) {
        dgemm(chosen(), transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c);
    }

    /**
     * Row-major single-precision gemm on the given route (tests compare the routes). The java route splits
     * the rows of C over threads; the native ones thread themselves.
     */
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
        String tb = transB ? "T" : "N";
        String ta = transA ? "T" : "N";
        switch (route) {
            case NATIVE -> Native.BLAS.sgemm(tb, ta, n, m, k, alpha, b, 0, ldb, a, 0, lda, beta, c, 0, n);
            case JBLAS -> JblasCalls.sgemm(tb.charAt(0), ta.charAt(0), n, m, k, alpha, b, ldb, a, lda, beta, c, n);
            case JAVA -> Parallelism.forRange(m, rowGrain(n, k), (from, to) ->
                    // rows [from, to) of C use rows [from, to) of op(A): row offsets of A, or columns of A^T
                    Java.BLAS.sgemm(tb, ta, n, to - from, k, alpha, b, 0, ldb,
                            a, transA ? from : from * lda, lda, beta, c, from * n, n));
        }
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
        String tb = transB ? "T" : "N";
        String ta = transA ? "T" : "N";
        switch (route) {
            case NATIVE -> Native.BLAS.dgemm(tb, ta, n, m, k, alpha, b, 0, ldb, a, 0, lda, beta, c, 0, n);
            case JBLAS -> JblasCalls.dgemm(tb.charAt(0), ta.charAt(0), n, m, k, alpha, b, ldb, a, lda, beta, c, n);
            case JAVA -> Parallelism.forRange(m, rowGrain(n, k), (from, to) ->
                    Java.BLAS.dgemm(tb, ta, n, to - from, k, alpha, b, 0, ldb,
                            a, transA ? from : from * lda, lda, beta, c, from * n, n));
        }
    }

    /** Rows of C per thread so that each part holds at least about a million multiply-adds. */
    private static int rowGrain(int n, int k) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (1L << 20) / Math.max(1L, (long) n * k)));
    }

    /** Whether a route can run here (tests skip comparisons with a route that cannot). */
    static boolean available(Route route) {
        return switch (route) {
            case NATIVE -> Native.ERROR == null;
            case JBLAS -> Jblas.ERROR == null;
            case JAVA -> Java.BLAS != null;
        };
    }
}
