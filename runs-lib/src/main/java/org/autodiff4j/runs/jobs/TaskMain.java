package org.autodiff4j.runs.jobs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

import org.autodiff4j.nn.AtomicFiles;

/**
 * The entry of a task's own process ({@link LocalExecutor}):
 * {@code java ... org.autodiff4j.runs.jobs.TaskMain ID RUNNER RESULT-FILE ARGS...} runs the task, writes its result
 * to {@code RESULT-FILE} (atomically) and exits with 0; a failure prints one line and exits with 2 for bad input, 1
 * otherwise.
 */
public final class TaskMain {
    private TaskMain() {
    }

    /**
     * Runs one task.
     *
     * @param args the id, the runner class, the result file, then the task's arguments
     */
    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: TaskMain ID RUNNER RESULT-FILE [ARGS...]");
            System.exit(2);
        }
        Task task = new Task(args[0], args[1], Arrays.asList(args).subList(3, args.length));
        int status;
        try {
            String result = TaskRunner.runHere(task, System.out);
            AtomicFiles.write(Path.of(args[2]), result.getBytes(StandardCharsets.UTF_8));
            status = 0;
        } catch (Exception e) {
            System.out.flush();
            System.err.println("task " + task.id() + ": " + oneLine(e));
            status = e instanceof IllegalArgumentException ? 2 : 1;
        }
        System.out.flush();
        System.exit(status);
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return m.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
