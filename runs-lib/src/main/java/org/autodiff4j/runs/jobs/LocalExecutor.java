package org.autodiff4j.runs.jobs;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Runs tasks on this machine in {@code parallel} worker JVMs ({@link TaskMain}) with this one's class path and
 * {@code -Dautodiff4j.*} settings, each worker taking the next task when it has finished one. The cores are divided
 * between the workers: each gets {@code max(1, cores / parallel)} threads for its own work and for OpenBLAS
 * ({@code OPENBLAS_NUM_THREADS}), so that parallel tasks do not oversubscribe the machine. Processes rather than
 * threads, because the BLAS's thread count is one per process ({@code singleThreadedBlas} sets it to 1 and leaves the
 * cores to the tasks' Java threads); long-lived ones, so that a JVM starts and compiles the library's code once per
 * worker, not once per task. A task's output goes to {@code LOGS/ID.log}. A worker that dies fails its task only: the
 * next task starts a new one. The workers end when {@link #runAll} returns, and when this JVM ends.
 */
public final class LocalExecutor implements TaskExecutor {
    private final int parallel;
    private final Path logs;
    private final boolean singleThreadedBlas;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();
    private final Thread reaper = new Thread(() -> running.forEach(Process::destroyForcibly), "autodiff4j-local-executor");

    /**
     * An executor of {@code parallel} processes at a time.
     *
     * @param parallel processes at once; 0 for as many as the machine has cores (never more than the tasks)
     * @param logs     the folder for the tasks' logs
     * @param singleThreadedBlas whether each process's BLAS runs on one thread (its own threads still get the cores), for
     *                 work whose bits must not depend on the number of processes
     * @throws IllegalArgumentException when {@code parallel} is negative or above 256
     */
    public LocalExecutor(int parallel, Path logs, boolean singleThreadedBlas) {
        if (parallel < 0 || parallel > 256) {
            throw new IllegalArgumentException("--parallel must be from 0 (one per core) to 256, got " + parallel);
        }
        this.parallel = parallel;
        this.logs = logs;
        this.singleThreadedBlas = singleThreadedBlas;
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    private static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * How many tasks run at once for {@code tasks} tasks.
     *
     * @param tasks the number of tasks
     * @return processes at once
     */
    public int parallelFor(int tasks) {
        return Math.max(1, Math.min(tasks, parallel > 0 ? parallel : cores()));
    }

    /**
     * The threads each of {@code processes} processes gets.
     *
     * @param processes processes at once
     * @return the threads each gets
     */
    public static int threadsEach(int processes) {
        return Math.max(1, cores() / processes);
    }

    @Override
    public String describe() {
        return "local: " + (parallel > 0 ? parallel + " worker processes" : "a worker process per core") + " of "
                + cores() + " cores";
    }

    @Override
    public List<String> runAll(List<Task> tasks, PrintStream log) throws IOException {
        Files.createDirectories(logs);
        int at = parallelFor(tasks.size());
        int threads = threadsEach(at);
        List<String> results = new ArrayList<>(Collections.nCopies(tasks.size(), null));
        List<String> failed = Collections.synchronizedList(new ArrayList<>());
        List<String> reasons = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(at);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < at; w++) {
                futures.add(pool.submit(() -> { // one worker process, taking the next task until none is left
                    Worker worker = null;
                    try {
                        for (int i = next.getAndIncrement(); i < tasks.size(); i = next.getAndIncrement()) {
                            Task t = tasks.get(i);
                            long start = System.nanoTime();
                            try {
                                if (worker == null || !worker.process.isAlive()) {
                                    worker = new Worker(threads); // the first, or one after a worker died
                                }
                                results.set(i, worker.run(t));
                                synchronized (log) {
                                    log.printf(Locale.ROOT, "[%d/%d] %s done, %.1f s%n", done.incrementAndGet(),
                                            tasks.size(), t.id(), (System.nanoTime() - start) / 1e9);
                                }
                            } catch (IOException | RuntimeException e) {
                                failed.add(t.id());
                                reasons.add(t.id() + ": " + TaskMain.oneLine(e));
                                synchronized (log) {
                                    log.printf("[%d/%d] %s failed: %s%n", done.incrementAndGet(), tasks.size(), t.id(),
                                            TaskMain.oneLine(e));
                                }
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        if (worker != null) {
                            worker.close();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while tasks ran", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        if (!failed.isEmpty()) {
            throw new TaskFailedException(failed, failed.size() + " of " + tasks.size() + " tasks failed; the first, "
                    + reasons.get(0) + " (its log: " + logs.resolve(failed.get(0) + ".log") + ")");
        }
        return results;
    }

    /** A worker JVM ({@link TaskMain}) that runs tasks one after another, its cores and BLAS threads set at its start. */
    private final class Worker implements AutoCloseable {
        final Process process;
        private final BufferedWriter requests;
        private final BufferedReader answers;

        Worker(int threads) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvmOptions(threads));
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(TaskMain.class.getName());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            String blas = Integer.toString(singleThreadedBlas ? 1 : threads);
            pb.environment().put("OPENBLAS_NUM_THREADS", blas);
            pb.environment().put("OMP_NUM_THREADS", blas);
            pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
            pb.environment().putIfAbsent("OPENBLAS_THREAD_TIMEOUT", "4"); // idle BLAS threads sleep, as the launcher's
            process = pb.start();
            running.add(process);
            requests = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
            answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        /** Runs one task and reads its result; a task that fails, or whose worker dies, throws naming why. */
        String run(Task t) throws IOException, InterruptedException {
            Path result = logs.resolve(t.id() + ".result.json");
            Path logFile = logs.resolve(t.id() + ".log");
            Files.deleteIfExists(result);
            try {
                requests.write(TaskMain.request(t, result, logFile));
                requests.newLine();
                requests.flush();
            } catch (IOException gone) {
                // the worker died before it read the task: said below, from its status
            }
            String line;
            while ((line = answers.readLine()) != null) {
                JsonNode answer = TaskMain.answer(line);
                if (answer == null) { // native code's output (OpenBLAS's warnings, a JVM's crash report) goes to the log
                    Files.writeString(logFile, line + System.lineSeparator(), StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                } else if (answer.get("status").asInt() != 0) {
                    throw new IOException(answer.get("message").asText());
                } else {
                    String text = Files.readString(result, StandardCharsets.UTF_8);
                    Files.delete(result);
                    return text;
                }
            }
            int status = process.waitFor();
            running.remove(process);
            throw new IOException("its process exited with status " + status + ": " + lastLine(logFile));
        }

        /** Ends the worker: the end of its input, then at most 10 s before it is stopped by force. */
        @Override
        public void close() {
            try {
                requests.close();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (IOException ignored) {
                process.destroyForcibly(); // it had ended already
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            } finally {
                running.remove(process);
            }
        }
    }

    /** This JVM's settings a task's JVM keeps: the library's properties, the native library path, the heap's limit. */
    private static List<String> jvmOptions(int threads) {
        List<String> opts = new ArrayList<>(List.of("-XX:+UseParallelGC", "-Xmn128m", "-XX:SurvivorRatio=3",
                "-XX:-UseAdaptiveSizePolicy", "-Dautodiff4j.threads=" + threads,
                "-Djava.awt.headless=true"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if ((a.startsWith("-Dautodiff4j.") && !a.startsWith("-Dautodiff4j.threads=")) || a.startsWith("-Djava.library.path=")
                    || a.startsWith("-Xmx") || a.startsWith("-Ddev.ludovic.netlib.")) {
                opts.add(a);
            }
        }
        return opts;
    }

    private static String lastLine(Path logFile) {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).strip();
                }
            }
        } catch (IOException ignored) {
            // said below
        }
        return "no output (see " + logFile + ")";
    }

    @Override
    public void close() {
        running.forEach(Process::destroyForcibly);
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }
}
