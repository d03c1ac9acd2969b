package org.autodiff4j.runs.jobs;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.autodiff4j.nn.AtomicFiles;

/**
 * The entry of the worker processes {@link LocalExecutor} starts, {@code java ... org.autodiff4j.runs.jobs.TaskMain}.
 * A worker reads tasks from its standard input, one JSON object a line ({@code id}, {@code runner}, {@code args},
 * {@code result}, {@code log}), and runs them one after another: each with its output appended to its {@code log}
 * file, its result written to its {@code result} file (atomically). It answers each on its standard output with one
 * line, {@link #ANSWER} then {@code {"id", "status", "message"}} (status 0; 2 for bad input, 1 for another failure),
 * and ends with status 0 at the end of its input. A worker that runs many tasks starts its JVM once and keeps its
 * compiled code warm.
 */
public final class TaskMain {
    /** What starts a worker's answer line; other lines on its standard output come from native code. */
    static final String ANSWER = "\u0001autodiff4j-task ";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TaskMain() {
    }

    /**
     * Serves tasks until the end of the standard input.
     *
     * @param args none
     */
    public static void main(String[] args) {
        if (args.length != 0) {
            System.err.println("usage: TaskMain (tasks as JSON lines on the standard input), got " + Arrays.toString(args));
            System.exit(2);
        }
        try {
            serve(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), System.out);
        } catch (IOException e) {
            System.err.println("worker: " + oneLine(e));
            System.exit(1);
        }
        System.exit(0);
    }

    /** Runs the tasks read from {@code in} one after another, answering each on {@code answers}. */
    static void serve(BufferedReader in, PrintStream answers) throws IOException {
        PrintStream out = System.out;
        PrintStream err = System.err;
        String line;
        while ((line = in.readLine()) != null) {
            JsonNode request = JSON.readTree(line);
            List<String> args = new ArrayList<>();
            request.get("args").forEach(a -> args.add(a.asText()));
            Task task = new Task(request.get("id").asText(), request.get("runner").asText(), args);
            int status;
            String message = "";
            try (PrintStream log = new PrintStream(new FileOutputStream(request.get("log").asText(), true), true,
                    StandardCharsets.UTF_8)) {
                System.setOut(log); // what the task prints by itself goes to its log too
                System.setErr(log);
                try {
                    String result = TaskRunner.runHere(task, log);
                    AtomicFiles.write(Path.of(request.get("result").asText()), result.getBytes(StandardCharsets.UTF_8));
                    status = 0;
                } catch (Exception e) {
                    message = oneLine(e);
                    log.println("task " + task.id() + ": " + message);
                    status = e instanceof IllegalArgumentException ? 2 : 1;
                } finally {
                    System.setOut(out);
                    System.setErr(err);
                }
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("id", task.id());
            answer.put("status", status);
            answer.put("message", message);
            answers.println(ANSWER + JSON.writeValueAsString(answer));
            answers.flush();
        }
    }

    /** The request line that asks a worker to run {@code task}. */
    static String request(Task task, Path result, Path log) throws IOException {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", task.id());
        r.put("runner", task.runner());
        r.put("args", task.args());
        r.put("result", result.toString());
        r.put("log", log.toString());
        return JSON.writeValueAsString(r);
    }

    /** A worker's answer: its status and message, or null when {@code line} is not an answer. */
    static JsonNode answer(String line) throws IOException {
        return line.startsWith(ANSWER) ? JSON.readTree(line.substring(ANSWER.length())) : null;
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return m.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
