package org.autodiff4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void info_reportsTheBlasAndAMeasuredRate() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), "info", "--size", "128"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.matches("(?s).*blas       (native|jblas|java): .*"), text);
        assertTrue(text.matches("(?s).*threads    elementwise \\d+ .*"), text);
        assertTrue(text.contains("sparse     linear layers on 0/1 input with at most 5% ones"), text);
        assertTrue(text.matches("(?s).*sgemm      \\d+\\.\\d GFLOPS \\(128x128 by 128x128.*"), text);
    }

    @Test
    void version_printsTheBuiltVersionOnEveryCommand() {
        for (String[] args : new String[][] {{"--version"}, {"train-vae", "--version"}, {"info", "--version"}}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            System.setProperty("picocli.ansi", "false");
            PrintStream old = System.out;
            try (PrintStream p = new PrintStream(out, true, StandardCharsets.UTF_8)) {
                System.setOut(p);
                assertEquals(0, Main.run(p, args));
            } finally {
                System.setOut(old);
            }
            assertEquals("autodiff4j " + org.autodiff4j.tensor.Version.get(), out.toString(StandardCharsets.UTF_8).trim(),
                    String.join(" ", args));
        }
    }

    @Test
    void unknownCommandOrFlag_exitsWithTwo() {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setErr(e);
            PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            assertEquals(2, Main.run(sink, "train-cnn"));
            assertEquals(2, Main.run(sink, "info", "--size", "4"));
            assertEquals(2, Main.run(sink, "train-vae", "--bogus"));
        } finally {
            System.setErr(oldErr);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Unmatched argument at index 0: 'train-cnn'"), text);
        assertTrue(text.contains("info: --size must be at least 16, got 4"), text);
        assertTrue(text.contains("Unknown option: '--bogus'"), text);
    }
}
