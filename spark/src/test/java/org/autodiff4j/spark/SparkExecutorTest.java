package org.autodiff4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.autodiff4j.runs.jobs.LocalExecutor;
import org.autodiff4j.runs.jobs.Sweep;
import org.autodiff4j.runs.jobs.SweepSpec;
import org.autodiff4j.runs.jobs.TaskExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spark in this JVM ({@code local[2]}) and the errors that need no cluster. */
class SparkExecutorTest {
    @TempDir
    Path tmp;

    /** A summary's settings without the figures that are times (they differ from run to run). */
    @SuppressWarnings("unchecked")
    static Object withoutTimes(Object settings) {
        List<Map<String, Object>> copy = new java.util.ArrayList<>();
        for (Map<String, Object> s : (List<Map<String, Object>>) settings) {
            Map<String, Object> m = new java.util.LinkedHashMap<>(s);
            Map<String, Object> figures = new java.util.LinkedHashMap<>((Map<String, Object>) m.get("figures"));
            figures.keySet().removeIf(k -> k.endsWith("seconds"));
            m.put("figures", figures);
            copy.add(m);
        }
        return copy;
    }

    @Test
    void anUnreachableMaster_failsInOneLineWithinSeconds() throws Exception {
        int port = LocalCluster.freePort();
        long start = System.nanoTime();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TaskExecutor.named("spark", "spark://127.0.0.1:" + port, 0, tmp, false));
        assertTrue(e.getMessage().startsWith("--master spark://127.0.0.1:" + port + ": no Spark master answers at 127.0.0.1:"
                + port), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
        assertTrue((System.nanoTime() - start) / 1e9 < 10);
        assertEquals("--executor spark needs --master URL (spark://host:7077, local[2], ...) or spark-submit's --master",
                assertThrows(IllegalArgumentException.class, () -> TaskExecutor.named("spark", null, 0, tmp, false)).getMessage());
    }

    @Test
    void aSweepOnLocalSpark_givesTheLocalExecutorsSummary() throws Exception {
        SweepSpec spec = SweepSpec.parse("gan-mixture", List.of("--steps", "200"), "3,4", f -> false);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Map<String, Object> a;
        try (LocalExecutor ex = new LocalExecutor(0, tmp.resolve("a").resolve("logs"), false)) {
            a = Sweep.run(spec, null, tmp.resolve("a"), ex, MixtureProgram.class, quiet);
        }
        Map<String, Object> b;
        try (TaskExecutor ex = TaskExecutor.named("spark", "local[2]", 0, tmp.resolve("b").resolve("logs"), false)) {
            b = Sweep.run(spec, null, tmp.resolve("b"), ex, MixtureProgram.class, quiet);
        }
        assertEquals(withoutTimes(a.get("settings")), withoutTimes(b.get("settings")));
        assertEquals(2L, ((Number) b.get("finished")).longValue());
    }
}
