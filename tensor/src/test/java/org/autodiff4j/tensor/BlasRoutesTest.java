package org.autodiff4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each route forced by -Dautodiff4j.blas in a fresh JVM, as a user would: it is taken and gives the same product. */
class BlasRoutesTest {

    private record Outcome(int status, String out) {
    }

    private static Outcome probe(String... properties) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(properties));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BlasProbe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Outcome(p.exitValue(), out);
    }

    private static double sum(String out) {
        String last = out.strip().lines().reduce((a, b) -> b).orElseThrow();
        return Double.parseDouble(last.substring(last.indexOf(' ') + 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "jblas", "java"})
    void forcedRoute_isTakenAndAgreesWithTheJavaRoute(String route) throws IOException, InterruptedException {
        assumeTrue(route.equals("java") || Blas.available(Blas.Route.valueOf(route.toUpperCase(java.util.Locale.ROOT))),
                route + " cannot load on this machine");
        Outcome forced = probe("-Dautodiff4j.blas=" + route);
        assertEquals(0, forced.status(), forced.out());
        assertTrue(forced.out().strip().lines().reduce((a, b) -> b).orElseThrow().startsWith(route + " "), forced.out());
        Outcome java = probe("-Dautodiff4j.blas=java");
        assertEquals(sum(java.out()), sum(forced.out()), 1e-3, "the same product on every route");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cuda", ""})
    void unknownRoute_failsNamingTheAllowedValues(String value) throws IOException, InterruptedException {
        Outcome o = probe("-Dautodiff4j.blas=" + value);
        assertTrue(o.status() != 0);
        assertTrue(o.out().contains("-Dautodiff4j.blas=" + value + ": allowed values are auto, native, maven, jblas and java"), o.out());
    }

    /** The OpenBLAS from Maven, forced: copied into a cache of the test's own, described, and agreeing with java. */
    @org.junit.jupiter.api.Test
    void mavenOpenBlas_loadsFromTheJarAndAgreesWithTheJavaRoute(@org.junit.jupiter.api.io.TempDir Path cache)
            throws IOException, InterruptedException {
        assumeTrue(MavenOpenBlas.unavailable() == null, String.valueOf(MavenOpenBlas.unavailable()));
        Outcome maven = probe("-Dautodiff4j.blas=maven", "-Dautodiff4j.cache=" + cache, "-Dautodiff4j.probe.describe=true");
        assertEquals(0, maven.status(), maven.out());
        assertTrue(maven.out().contains("native: OpenBLAS 0.3.31 from Maven Central (org.bytedeco:openblas), netlib JNI on "
                + cache.resolve("native")), maven.out());
        assertEquals(sum(probe("-Dautodiff4j.blas=java").out()), sum(maven.out()), 1e-3);
        // the second JVM finds the libraries in place
        assertEquals(0, probe("-Dautodiff4j.blas=maven", "-Dautodiff4j.cache=" + cache).status());
    }
}
