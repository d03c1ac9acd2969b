package org.autodiff4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BlasTest {

    @Test
    void describe_startsWithTheRoute() {
        String d = Blas.describe();
        assertTrue(d.startsWith(Blas.route() + ": "), d);
        switch (Blas.route()) {
            case "native" -> assertTrue(d.startsWith("native: netlib JNI on "), d);
            case "jblas" -> assertTrue(d.startsWith("jblas: jblas native "), d);
            default -> assertTrue(d.startsWith("java: netlib "), d);
        }
    }

    @Test
    void javaRoute_isAlwaysAvailable() {
        assertTrue(Blas.available(Blas.Route.JAVA));
    }

    /** Every route that runs here gives the products of a plain triple loop in double precision. */
    @ParameterizedTest
    @EnumSource(Blas.Route.class)
    void route_matchesATripleLoopForEveryTransposeFlag(Blas.Route route) {
        assumeTrue(Blas.available(route), route + " cannot load here");
        SplittableRandom r = new SplittableRandom(3);
        // 300 rows with k = n = 70 split over threads on the java route (each part >= 2^20 multiply-adds / 4900)
        for (int[] mnk : new int[][] {{7, 5, 9}, {1, 1, 1}, {300, 70, 70}}) {
            int m = mnk[0];
            int n = mnk[1];
            int k = mnk[2];
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    double[] a = random(r, m * k);
                    double[] b = random(r, k * n);
                    double[] c0 = random(r, m * n);
                    double[] expected = reference(ta, tb, m, n, k, 0.5, a, b, 2, c0);
                    double[] cd = c0.clone();
                    Blas.dgemm(route, ta, tb, m, n, k, 0.5, a, ta ? m : k, b, tb ? k : n, 2, cd);
                    float[] cf = toFloat(c0);
                    Blas.sgemm(route, ta, tb, m, n, k, 0.5f, toFloat(a), ta ? m : k, toFloat(b), tb ? k : n, 2f, cf);
                    for (int i = 0; i < expected.length; i++) {
                        String at = route + " " + m + "x" + n + "x" + k + " transA=" + ta + " transB=" + tb + " [" + i + "]";
                        assertEquals(expected[i], cd[i], 1e-12 * k, "dgemm " + at);
                        assertEquals(expected[i], cf[i], 1e-5 * k, "sgemm " + at);
                    }
                }
            }
        }
    }

    @Test
    void javaRoute_givesTheSameBitsOnOneThreadAndOnSeveral() {
        SplittableRandom r = new SplittableRandom(5);
        int m = 512;
        int n = 64;
        int k = 64;
        float[] a = toFloat(random(r, m * k));
        float[] b = toFloat(random(r, k * n));
        float[] split = new float[m * n];
        float[] single = new float[m * n];
        int threads = Parallelism.threads();
        try {
            Parallelism.setThreads(3);
            Blas.sgemm(Blas.Route.JAVA, false, true, m, n, k, 1f, a, k, b, k, 0f, split);
            Parallelism.setThreads(1);
            Blas.sgemm(Blas.Route.JAVA, false, true, m, n, k, 1f, a, k, b, k, 0f, single);
        } finally {
            Parallelism.setThreads(threads);
        }
        assertTrue(java.util.Arrays.equals(single, split));
    }

    @Test
    void measuredRate_isPositive() {
        assertTrue(Blas.measuredGflops(Blas.Route.JAVA, 32) > 0);
    }

    private static double[] reference(boolean ta, boolean tb, int m, int n, int k, double alpha, double[] a,
                                      double[] b, double beta, double[] c) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                }
                out[i * n + j] = alpha * s + beta * c[i * n + j];
            }
        }
        return out;
    }

    private static double[] random(SplittableRandom r, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextDouble(-1, 1); // representable in float32, so both precisions see the same values
        }
        return x;
    }

    private static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }
}
