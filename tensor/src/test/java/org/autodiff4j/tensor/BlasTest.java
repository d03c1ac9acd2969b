package org.autodiff4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class BlasTest {

    @Test
    void describe_namesTheRouteAndItsLibraries() {
        String d = Blas.describe();
        if (Blas.route().equals("netlib")) {
            assertTrue(d.startsWith("netlib JNI on ") && d.contains("blas"), d);
        } else {
            assertTrue(d.startsWith("jblas native ") && d.contains("libjblas"), d);
        }
    }

    @Test
    void routes_agreeForEveryTransposeFlag() {
        assumeTrue(Blas.available(Blas.Route.NETLIB) && Blas.available(Blas.Route.JBLAS), "one route is missing here");
        SplittableRandom r = new SplittableRandom(3);
        int m = 7;
        int n = 5;
        int k = 9;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                float[] a = new float[m * k];
                float[] b = new float[k * n];
                float[] c0 = new float[m * n];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) r.nextDouble(-1, 1);
                }
                for (int i = 0; i < b.length; i++) {
                    b[i] = (float) r.nextDouble(-1, 1);
                }
                for (int i = 0; i < c0.length; i++) {
                    c0[i] = (float) r.nextDouble(-1, 1);
                }
                float[] viaNetlib = c0.clone();
                float[] viaJblas = c0.clone();
                Blas.sgemm(Blas.Route.NETLIB, ta, tb, m, n, k, 0.5f, a, ta ? m : k, b, tb ? k : n, 2f, viaNetlib);
                Blas.sgemm(Blas.Route.JBLAS, ta, tb, m, n, k, 0.5f, a, ta ? m : k, b, tb ? k : n, 2f, viaJblas);
                assertArrayEquals(viaJblas, viaNetlib, 1e-5f, "transA=" + ta + " transB=" + tb);
                double[] ad = toDouble(a);
                double[] bd = toDouble(b);
                double[] cn = toDouble(c0);
                double[] cj = toDouble(c0);
                Blas.dgemm(Blas.Route.NETLIB, ta, tb, m, n, k, 0.5, ad, ta ? m : k, bd, tb ? k : n, 2, cn);
                Blas.dgemm(Blas.Route.JBLAS, ta, tb, m, n, k, 0.5, ad, ta ? m : k, bd, tb ? k : n, 2, cj);
                assertArrayEquals(cj, cn, 1e-12, "dgemm transA=" + ta + " transB=" + tb);
            }
        }
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }
}
