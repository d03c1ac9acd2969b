package org.autodiff4j.runs.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tasks run in long-lived worker JVMs, each with its own log; a failing task or a dying worker costs that task only. */
class LocalExecutorTest {
    @TempDir
    Path tmp;

    /**
     * Prints a line to its log and one to System.out, and returns its process id; {@code fail} throws, {@code bad}
     * throws as bad input, {@code halt} ends its JVM with status 3.
     */
    public static final class Echo implements TaskRunner {
        /** Made by reflection. */
        public Echo() {
        }

        @Override
        public String run(List<String> args, PrintStream log) {
            log.println("log of " + args.get(0));
            System.out.println("stdout of " + args.get(0));
            switch (args.get(1)) {
                case "fail" -> throw new IllegalStateException("it failed\nover two lines");
                case "bad" -> throw new IllegalArgumentException("--x: bad value");
                case "halt" -> Runtime.getRuntime().halt(3);
                default -> { }
            }
            return "{\"pid\": " + ProcessHandle.current().pid() + "}";
        }
    }

    private static Task echo(String id, String what) {
        return new Task(id, Echo.class.getName(), List.of(id, what));
    }

    @Test
    void tasksShareTheWorkersAndKeepTheirOwnLogs() throws Exception {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            tasks.add(echo("t" + i, "ok"));
        }
        List<String> results;
        try (LocalExecutor ex = new LocalExecutor(2, tmp, false)) {
            results = ex.runAll(tasks, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        }
        Set<String> pids = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            assertTrue(results.get(i).startsWith("{\"pid\": "), results.get(i));
            pids.add(results.get(i));
            assertEquals(List.of("log of t" + i, "stdout of t" + i), Files.readAllLines(tmp.resolve("t" + i + ".log")));
            assertTrue(!Files.exists(tmp.resolve("t" + i + ".result.json")));
        }
        assertTrue(pids.size() <= 2, "6 tasks in at most 2 processes: " + pids);
        assertTrue(!pids.contains("{\"pid\": " + ProcessHandle.current().pid() + "}"), "not in this JVM");
    }

    @Test
    void aFailureOrADeadWorker_failsThatTaskOnly() throws Exception {
        List<Task> tasks = List.of(echo("a", "ok"), echo("b", "fail"), echo("c", "halt"), echo("d", "bad"), echo("e", "ok"),
                echo("f", "ok"));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        TaskFailedException e;
        try (LocalExecutor ex = new LocalExecutor(1, tmp, false)) {
            e = assertThrows(TaskFailedException.class,
                    () -> ex.runAll(tasks, new PrintStream(progress, true, StandardCharsets.UTF_8)));
        }
        assertEquals(List.of("b", "c", "d"), e.failed());
        assertEquals("3 of 6 tasks failed; the first, b: it failed; over two lines (its log: " + tmp.resolve("b.log") + ")",
                e.getMessage());
        String lines = progress.toString(StandardCharsets.UTF_8);
        assertTrue(lines.contains("[3/6] c failed: its process exited with status 3: stdout of c\n"), lines);
        assertTrue(lines.contains("[4/6] d failed: --x: bad value\n"), lines);
        assertTrue(lines.matches("(?s).*\\[6/6] f done, [0-9.]+ s\n"), lines);
        assertEquals(List.of("log of b", "stdout of b", "task b: it failed; over two lines"),
                Files.readAllLines(tmp.resolve("b.log")));
    }
}
