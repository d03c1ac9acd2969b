package org.autodiff4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.autodiff4j.runs.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sweep}: a grid over a command's flags times seeds, its summary, continuing, and bad input in one line each. */
class SweepCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aGridTimesSeeds_runsEveryTrialOnceAndWritesTheSummary() throws IOException {
        Path dir = tmp.resolve("s");
        Cli.Result r = Cli.run("sweep", "gan-mixture", "--quick", "--lr", "1e-3,2e-3", "--hidden", "32,32/16", "--seeds", "0-1",
                "--output", dir.toString());
        assertEquals(0, r.status(), r.err());
        List<String> rows = Files.readAllLines(dir.resolve("trials.csv"));
        assertEquals(9, rows.size(), rows.toString());
        assertTrue(rows.get(0).startsWith("trial,lr,hidden,seed,status,wall_seconds,modes_covered"), rows.get(0));
        assertTrue(rows.get(1).startsWith("000_lr-1e-3_hidden-32_32_seed-0,1e-3,32,32,0,done"), rows.get(1));
        JsonNode m = new ObjectMapper().readTree(dir.resolve("trials").resolve("007_lr-2e-3_hidden-16_seed-1")
                .resolve("metrics.json").toFile());
        assertEquals(0.002, m.get("learning_rate").asDouble());
        assertEquals("16", m.get("config").get("discriminator_hidden").asText());
        assertEquals(1, m.get("seed").asInt());
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        assertEquals(4, summary.get("settings").size());
        assertEquals(2, summary.get("settings").get(0).get("figures").get("modes_covered").get("n").asInt());
        assertTrue(summary.get("best").has("lr"), summary.toString());
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("Sweep of gan-mixture") && html.contains("007_lr-2e-3_hidden-16_seed-1"));

        // the same sweep again: every trial is finished, none runs or writes again
        Path metrics = dir.resolve("trials").resolve("000_lr-1e-3_hidden-32_32_seed-0").resolve("metrics.json");
        FileTime before = Files.getLastModifiedTime(metrics);
        Cli.Result again = Cli.run("sweep", "--output", dir.toString(), "--resume");
        assertEquals(0, again.status(), again.err());
        assertTrue(again.out().contains("8 finished already"), again.out());
        assertEquals(before, Files.getLastModifiedTime(metrics));
    }

    @Test
    void badInput_isOneLineWithStatus2AndTouchesNoTrial() throws IOException {
        Path dir = tmp.resolve("s");
        assertEquals(0, Cli.run("sweep", "gan-mixture", "--quick", "--seeds", "0-1", "--output", dir.toString()).status());
        Path done = dir.resolve("trials").resolve("000_seed-0").resolve("metrics.json");
        FileTime before = Files.getLastModifiedTime(done);
        String[][] cases = {
            {"sweep", "gan-mixture", "--lr", "1e-3,,3e-4", "--output", tmp.resolve("a").toString()},
            {"sweep", "gan-mixture", "--lr2", "1e-3,3e-4", "--output", tmp.resolve("b").toString()},
            {"sweep", "gan-mixture", "--quick", "--seeds", "5-2", "--output", tmp.resolve("c").toString()},
            {"sweep", "sample", "--seeds", "0-1", "--output", tmp.resolve("d").toString()},
            {"sweep", "gan-mixture", "--quick", "--seeds", "0-2", "--output", dir.toString()},
            {"sweep", "gan-mixture", "--quick", "--seeds", "0-1", "--executor", "cloud", "--output", tmp.resolve("e").toString()},
        };
        String[] expected = {
            "sweep: --lr 1e-3,,3e-4: an empty value in the grid (values are separated by ',')",
            "sweep: trial 000_lr2-1e-3: gan-mixture: Unknown options: '--lr2', '1e-3'",
            "sweep: --seeds 5-2: a range from A to B >= A, at most 10000 seeds",
            "sweep: cannot sweep 'sample' (allowed: train-vae, train-gan, gan-mixture)",
            "sweep: --output " + dir + " holds another sweep (sweep gan-mixture --quick --seeds 0,1); give the same grid to "
                    + "continue it, or choose another folder",
            "sweep: --executor: unknown 'cloud' (allowed: local, spark)",
        };
        for (int i = 0; i < cases.length; i++) {
            Cli.Result r = Cli.run(cases[i]);
            assertEquals(2, r.status(), r.err());
            assertEquals(expected[i], r.err().strip());
        }
        for (String name : List.of("a", "b", "c", "d", "e")) {
            assertFalse(Files.exists(tmp.resolve(name).resolve("trials")), name);
        }
        try (RunFolder.Lock held = new RunFolder(dir).lock()) { // another sweep is using the folder
            Cli.Result r = Cli.run("sweep", "gan-mixture", "--quick", "--seeds", "0-1", "--output", dir.toString());
            assertEquals(2, r.status());
            assertTrue(r.err().strip().matches("sweep: --output .* is in use by another run \\(process \\d+\\); wait for it "
                    + "to end or stop it first"), r.err());
        }
        Cli.Result spark = Cli.run("sweep", "gan-mixture", "--quick", "--seeds", "0-1", "--executor", "spark", "--master",
                "local[2]", "--output", tmp.resolve("f").toString());
        assertEquals(2, spark.status());
        assertTrue(spark.err().strip().startsWith("sweep: --executor spark: the autodiff4j-spark module is not on the class "
                + "path"), spark.err());
        assertEquals(before, Files.getLastModifiedTime(done));
    }
}
