package org.autodiff4j.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.autodiff4j.runs.jobs.CommandLineProgram;
import org.autodiff4j.runs.jobs.SweepSpec;
import org.autodiff4j.runs.jobs.SweepTrial;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trial starts, continues from its checkpoint, or is only read, by what its folder holds; grids read as documented. */
class SweepTrialTest {
    @TempDir
    Path tmp;

    static final List<List<String>> CALLS = new ArrayList<>();

    /** Records its command lines and writes what a run writes. */
    public static final class Recorder implements CommandLineProgram {
        /** Made by reflection. */
        public Recorder() {
        }

        @Override
        public int run(PrintStream out, String... args) {
            CALLS.add(List.of(args));
            Path dir = Path.of(args[args.length - 1]);
            try {
                Files.createDirectories(dir);
                Files.writeString(dir.resolve(RunFolder.ARGUMENTS), "{}");
                Files.writeString(dir.resolve("results.json"), "{\"test_iw_nll\": 90.5, \"model\": \"vae\"}");
            } catch (java.io.IOException e) {
                return 1;
            }
            return args[1].equals("--fail") ? 2 : 0;
        }
    }

    private String trial(Path dir, String... args) throws Exception {
        List<String> a = new ArrayList<>(List.of(Recorder.class.getName(), dir.toString(), "train-vae"));
        a.addAll(List.of(args));
        return new SweepTrial().run(a, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void aTrialStarts_thenContinues_thenIsOnlyRead() throws Exception {
        CALLS.clear();
        Path dir = tmp.resolve("t");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(RunFolder.ARGUMENTS), "{}"); // a run an earlier attempt started
        String result = trial(dir, "--lr", "1e-3");
        assertEquals(List.of("train-vae", "--resume", "--output", dir.toString()), CALLS.get(0));
        assertTrue(result.contains("\"test_iw_nll\":90.5") && !result.contains("model"), result);
        assertEquals(result, trial(dir, "--lr", "1e-3"));
        assertEquals(1, CALLS.size()); // finished: read, not run

        Path fresh = tmp.resolve("u");
        trial(fresh, "--lr", "1e-3");
        assertEquals(List.of("train-vae", "--lr", "1e-3", "--output", fresh.toString()), CALLS.get(1));
        assertThrows(IllegalArgumentException.class, () -> trial(tmp.resolve("v"), "--fail"));
        assertTrue(!Files.exists(tmp.resolve("v").resolve(SweepTrial.DONE)));
    }

    @Test
    void aGrid_isEveryCombinationWithTheSeedFastest() {
        SweepSpec s = SweepSpec.parse("train-vae", List.of("--epochs", "3", "--lr", "1e-3,3e-4", "--hidden", "8,8/4",
                "--quick"), "7,9", f -> f.equals("--hidden"));
        assertEquals(8, s.trials().size());
        assertEquals(List.of("--epochs", "3", "--quick", "--lr", "3e-4", "--hidden", "8,8", "--seed", "9"),
                s.trials().get(5).args());
        assertEquals("005_lr-3e-4_hidden-8_8_seed-9", s.trials().get(5).id());
        assertEquals(s, SweepSpec.parse("train-vae", s.commandLine().subList(1, s.commandLine().size() - 2), "7,9",
                f -> f.equals("--hidden")));
        assertEquals(List.of(0L, 1L, 2L), SweepSpec.parseSeeds("0-2"));
        assertThrows(IllegalArgumentException.class, () -> SweepSpec.parseSeeds("a-b"));
        assertThrows(IllegalArgumentException.class, () -> SweepSpec.parse("train-vae", List.of("--output", "x"), null, f -> false));
        assertThrows(IllegalArgumentException.class, () -> SweepSpec.parse("train-vae", List.of("--seed", "1"), "0-1", f -> false));
    }
}
