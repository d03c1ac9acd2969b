package org.autodiff4j.runs.jobs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.autodiff4j.nn.AtomicFiles;
import org.autodiff4j.runs.RunFolder;

/**
 * One trial of a {@link Sweep}, as a {@link TaskRunner}: arguments {@code PROGRAM FOLDER COMMAND ARGS...}. A trial
 * whose folder holds {@link #DONE} is finished and only read; one whose run has started (its arguments or a checkpoint
 * are in the folder) continues with {@code COMMAND --resume --output FOLDER}; otherwise it starts with
 * {@code COMMAND ARGS... --output FOLDER}. So a task that runs again, on the same machine or another, never starts a
 * checkpointed run over and never writes a finished one twice. Its result: {@code id}, {@code seconds} and
 * {@code figures}, every number at the top of the run's {@code results.json} or {@code metrics.json}.
 */
public final class SweepTrial implements TaskRunner {
    /** The file that marks a finished trial, written last (atomically) into its folder. */
    public static final String DONE = "sweep-trial.json";

    /** The longest a trial waits for its folder while a process of an earlier attempt still holds it. */
    static final long LOCK_WAIT_MILLIS = 120_000;

    /** Makes the runner; executors make it by reflection. */
    public SweepTrial() {
    }

    @Override
    public String run(List<String> args, PrintStream log) throws Exception {
        if (args.size() < 3) {
            throw new IllegalArgumentException("a sweep trial needs PROGRAM FOLDER COMMAND [ARGS...], got " + args);
        }
        Path dir = Path.of(args.get(1));
        Path done = dir.resolve(DONE);
        if (Files.isRegularFile(done)) {
            return Files.readString(done, StandardCharsets.UTF_8);
        }
        waitForFolder(dir);
        String command = args.get(2);
        boolean started = Files.isRegularFile(dir.resolve(RunFolder.ARGUMENTS))
                || Files.isRegularFile(dir.resolve("checkpoint.safetensors"));
        List<String> line = new ArrayList<>();
        line.add(command);
        if (started) {
            line.addAll(List.of("--resume", "--output", dir.toString()));
        } else {
            line.addAll(args.subList(3, args.size()));
            line.addAll(List.of("--output", dir.toString()));
        }
        log.println("trial " + dir.getFileName() + ": " + String.join(" ", line));
        CommandLineProgram program;
        try {
            program = (CommandLineProgram) TaskRunner.load(args.get(0)).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("cannot make the trial's program " + args.get(0) + ": " + e, e);
        }
        long start = System.nanoTime();
        int status = program.run(log, line.toArray(String[]::new));
        double seconds = (System.nanoTime() - start) / 1e9;
        if (status == 2) {
            throw new IllegalArgumentException(command + " refused its arguments (status 2)");
        }
        if (status != 0) {
            throw new IllegalStateException(command + " ended with status " + status);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", dir.getFileName().toString());
        result.put("seconds", seconds);
        result.put("resumed", started);
        result.put("figures", figures(dir));
        String json = new ObjectMapper().writeValueAsString(result);
        AtomicFiles.write(done, json.getBytes(StandardCharsets.UTF_8));
        return json;
    }

    /** Every number at the top of the run's results.json, else metrics.json. */
    static Map<String, Double> figures(Path dir) throws IOException {
        for (String name : List.of("results.json", "metrics.json")) {
            Path f = dir.resolve(name);
            if (Files.isRegularFile(f)) {
                JsonNode root = new ObjectMapper().readTree(f.toFile());
                Map<String, Double> out = new LinkedHashMap<>();
                root.fields().forEachRemaining(e -> {
                    if (e.getValue().isNumber()) {
                        out.put(e.getKey(), e.getValue().asDouble());
                    }
                });
                return out;
            }
        }
        throw new IOException(dir + ": the run wrote neither results.json nor metrics.json");
    }

    /** Waits while another process (an earlier attempt that is still ending) holds the trial's folder. */
    private static void waitForFolder(Path dir) throws IOException, InterruptedException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        long until = System.currentTimeMillis() + LOCK_WAIT_MILLIS;
        while (true) {
            try (RunFolder.Lock ignored = new RunFolder(dir).lock()) {
                return;
            } catch (IllegalArgumentException held) {
                if (System.currentTimeMillis() > until) {
                    throw new IllegalStateException(held.getMessage());
                }
                Thread.sleep(500);
            }
        }
    }
}
