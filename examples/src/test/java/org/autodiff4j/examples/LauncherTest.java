package org.autodiff4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The launcher's own checks, run by bash as the launcher runs them. */
class LauncherTest {
    private static final Path LAUNCHER = Path.of("..", "autodiff4j").toAbsolutePath().normalize();

    private static String bash(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return out.strip();
    }

    /** {@code ldconfig -p | grep -q} under pipefail failed at random; the check must answer the same every time. */
    @Test
    void systemBlasCheck_givesTheSameAnswerEveryTime_underPipefail() throws IOException, InterruptedException {
        String function = "source <(sed -n '/^have_system_blas()/,/^}/p' " + LAUNCHER + ")";
        String answers = bash("set -euo pipefail; " + function + "; for i in $(seq 60); do "
                + "if have_system_blas; then printf y; else printf n; fi; done");
        assertEquals(60, answers.length(), answers);
        assertTrue(answers.chars().distinct().count() == 1, "answers differ between calls: " + answers);
    }

    @Test
    void help_isPlainText_andAnUnknownCommandIsOneLineWithStatusTwo() throws IOException, InterruptedException {
        String help = bash(LAUNCHER + " help");
        assertTrue(help.startsWith("usage: ./autodiff4j COMMAND"), help);
        assertTrue(help.chars().noneMatch(c -> c == 27), "no escape codes");
        String unknown = bash(LAUNCHER + " frobnicate; echo \"status $?\"");
        List<String> lines = unknown.lines().toList();
        assertEquals(List.of("autodiff4j: unknown command 'frobnicate' (allowed: train-vae, train-gan, sample, evaluate, "
                + "gan-mixture, sweep, info, test, setup, help)", "status 2"), lines);
        assertTrue(Files.readString(LAUNCHER).contains("-Djansi.noreset=true"), "Maven's colour resets are off");
    }
}
