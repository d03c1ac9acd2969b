package org.autodiff4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mixture benchmark in its quick mode, as CI runs it. */
class GanMixtureTest {
    @TempDir
    Path tmp;

    private static int run(ByteArrayOutputStream err, String... args) {
        PrintStream old = System.err;
        try (PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setErr(e);
            return Main.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), prepend("gan-mixture", args));
        } finally {
            System.setErr(old);
        }
    }

    static String[] prepend(String command, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = command;
        System.arraycopy(args, 0, all, 1, args.length);
        return all;
    }

    @Test
    void quickRun_writesScatterAndMetrics() throws IOException {
        Path dir = tmp.resolve("grid");
        assertEquals(0, run(new ByteArrayOutputStream(), "--quick", "--mixture", "grid", "--pack", "2", "--output", dir.toString()));
        assertTrue(Files.size(dir.resolve("scatter.png")) > 0);
        JsonNode m = new ObjectMapper().readTree(dir.resolve("metrics.json").toFile());
        assertEquals(25, m.get("modes").asInt());
        assertEquals(200, m.get("steps").asInt());
        double hq = m.get("high_quality").asDouble();
        assertTrue(hq >= 0 && hq <= 1);
        assertEquals(2, m.get("config").get("pack").asInt());
        assertTrue(Files.readAllLines(dir.resolve("losses.csv")).size() == 3);
    }

    @Test
    void aSeedSweep_writesOneTableAndTheMedianSeedsScatter() throws IOException {
        Path dir = tmp.resolve("sweep");
        assertEquals(0, run(new ByteArrayOutputStream(), "--quick", "--seeds", "3", "--seed", "5", "--output", dir.toString()));
        List<String> rows = Files.readAllLines(dir.resolve("seeds.csv"));
        assertEquals(List.of("seed", "5", "6", "7"), rows.stream().map(r -> r.split(",")[0]).toList());
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        assertEquals(3, summary.get("seeds").asInt());
        assertTrue(summary.has("modes_covered_se") && summary.has("reverse_kl_mean"), summary.toString());
        int median = summary.get("median_seed").asInt();
        assertTrue(median >= 5 && median <= 7);
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("seed-" + median).resolve("scatter.png")),
                Files.readAllBytes(dir.resolve("scatter-median.png"))));
        assertTrue(Files.readString(dir.resolve("report.html")).contains("3 seeds"));
    }

    @Test
    void badValues_failInOneLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, run(err, "--mixture", "spiral", "--output", tmp.toString()));
        assertEquals("gan-mixture: --mixture: unknown 'spiral' (allowed: ring, grid)", err.toString(StandardCharsets.UTF_8).strip());
        ByteArrayOutputStream err2 = new ByteArrayOutputStream();
        assertEquals(2, run(err2, "--pack", "3", "--batch-size", "256", "--output", tmp.toString()));
        assertEquals("gan-mixture: --batch-size 256 is not a multiple of --pack 3", err2.toString(StandardCharsets.UTF_8).strip());
        ByteArrayOutputStream err3 = new ByteArrayOutputStream();
        assertEquals(2, run(err3, "--slope", "NaN", "--output", tmp.toString()));
        assertEquals("gan-mixture: --slope must be in [0, 1), got NaN", err3.toString(StandardCharsets.UTF_8).strip());
    }
}
