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
    void aSeedSweep_runsEachSeedAsATrialAndWritesOneTable() throws IOException {
        Path dir = tmp.resolve("sweep");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, run(out, "--quick", "--seeds", "3", "--seed", "5", "--output", dir.toString()));
        List<String> rows = Files.readAllLines(dir.resolve("trials.csv"));
        assertEquals(List.of("trial", "000_seed-5", "001_seed-6", "002_seed-7"), rows.stream().map(r -> r.split(",")[0]).toList());
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        assertEquals(3, summary.get("finished").asInt());
        assertEquals("modes_covered", summary.get("objective").asText());
        JsonNode modes = summary.get("settings").get(0).get("figures").get("modes_covered");
        assertEquals(3, modes.get("n").asInt());
        assertTrue(modes.has("se"), summary.toString());
        for (String seed : List.of("5", "6", "7")) { // each seed's own run folder, with its own report
            Path trial = dir.resolve("trials").resolve("00" + (Integer.parseInt(seed) - 5) + "_seed-" + seed);
            assertEquals(Integer.parseInt(seed), new ObjectMapper().readTree(trial.resolve("metrics.json").toFile())
                    .get("seed").asInt());
            assertTrue(Files.isRegularFile(trial.resolve("report.html")));
        }
        assertTrue(Files.readString(dir.resolve("report.html")).contains("Sweep of gan-mixture"));
    }

    @Test
    void aRunStoppedByCtrlC_continuesWithResume_toTheFiguresOfARunNotStopped() throws Exception {
        String[] settings = {"--steps", "4000", "--hidden", "32,32", "--samples", "500", "--checkpoint-every", "100"};
        Path stopped = tmp.resolve("stopped");
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "gan-mixture", "--output", stopped.toString()));
        cmd.addAll(List.of(settings));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("stopped.log").toFile()).start();
        while (p.isAlive() && !Files.exists(stopped.resolve("checkpoint.safetensors"))) {
            Thread.sleep(10);
        }
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
        String log = Files.readString(tmp.resolve("stopped.log"));
        assertEquals(130, p.exitValue(), log);
        assertTrue(log.strip().endsWith("./autodiff4j gan-mixture --resume --output " + stopped), log);
        assertTrue(!Files.exists(stopped.resolve("metrics.json")), "stopped before its end");

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, run(err, "--resume", "--output", stopped.toString()), err.toString(StandardCharsets.UTF_8));
        Path whole = tmp.resolve("whole");
        String[] again = java.util.Arrays.copyOf(settings, settings.length + 2);
        again[settings.length] = "--output";
        again[settings.length + 1] = whole.toString();
        assertEquals(0, run(new ByteArrayOutputStream(), again));
        ObjectMapper json = new ObjectMapper();
        JsonNode a = json.readTree(stopped.resolve("metrics.json").toFile());
        JsonNode b = json.readTree(whole.resolve("metrics.json").toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) a).remove("seconds");
        ((com.fasterxml.jackson.databind.node.ObjectNode) b).remove("seconds");
        assertEquals(b, a);
        assertEquals(Files.readAllLines(whole.resolve("losses.csv")), Files.readAllLines(stopped.resolve("losses.csv")));
        assertEquals(41, Files.readAllLines(stopped.resolve("losses.csv")).size());
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
