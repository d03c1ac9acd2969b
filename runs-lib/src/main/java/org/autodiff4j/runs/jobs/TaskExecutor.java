package org.autodiff4j.runs.jobs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Runs many {@link Task}s, each at most once at a time, and gives their results back in order. {@link LocalExecutor}
 * runs them in processes on this machine; the {@code autodiff4j-spark} module adds {@code spark}, found through
 * {@link Provider}. Executors do not schedule by themselves: Spark does for the cluster, and the local one keeps
 * a fixed number of processes busy.
 */
public interface TaskExecutor extends AutoCloseable {
    /**
     * Runs every task; tasks that fail do not stop the others.
     *
     * @param tasks the tasks
     * @param log   where a line per finished task goes
     * @return their results (JSON text), in the order of {@code tasks}
     * @throws TaskFailedException naming the tasks that failed for good, after every other task ended
     * @throws IOException when the executor itself fails
     */
    List<String> runAll(List<Task> tasks, PrintStream log) throws IOException;

    /**
     * One line saying where and how wide tasks run, for logs and reports.
     *
     * @return a description
     */
    String describe();

    /** Lets the executor's resources go (a Spark application ends). */
    @Override
    void close();

    /** What an executor is made from: its name and the command line's settings. */
    interface Provider {
        /**
         * The executor's name on the command line, e.g. {@code spark}.
         *
         * @return the name
         */
        String name();

        /**
         * Makes the executor.
         *
         * @param master   where to run (for Spark a master URL; null for the default)
         * @param parallel tasks at once (0: the executor's default)
         * @param logs     a folder for the tasks' logs
         * @param singleThreadedBlas whether each task's BLAS runs on one thread (see {@link #named})
         * @return the executor
         * @throws IllegalArgumentException naming the setting when it is wrong or the place cannot be reached
         */
        TaskExecutor create(String master, int parallel, Path logs, boolean singleThreadedBlas);
    }

    /**
     * The executor {@code name}: {@code local}, or one a module on the class path provides ({@code spark}).
     *
     * @param name     local or another provider's name
     * @param master   where to run (not for local)
     * @param parallel tasks at once (0: the executor's default)
     * @param logs     a folder for the tasks' logs
     * @param singleThreadedBlas whether each task's BLAS runs on one thread, its own work spread over the task's cores
     *                 in Java threads instead: for work whose bits must not depend on where it runs, since OpenBLAS's
     *                 products change in the last bits with its thread count (measured: 3e-10 nats of an NLL)
     * @return the executor
     * @throws IllegalArgumentException naming the name and what is needed when there is no such executor
     */
    static TaskExecutor named(String name, String master, int parallel, Path logs, boolean singleThreadedBlas) {
        if (name.equals("local")) {
            if (master != null) {
                throw new IllegalArgumentException("--master is for --executor spark; the local executor runs on this machine");
            }
            return new LocalExecutor(parallel, logs, singleThreadedBlas);
        }
        for (Provider p : ServiceLoader.load(Provider.class)) {
            if (p.name().equals(name)) {
                return p.create(master, parallel, logs, singleThreadedBlas);
            }
        }
        if (name.equals("spark")) {
            throw new IllegalArgumentException("--executor spark: the autodiff4j-spark module is not on the class path "
                    + "(./autodiff4j builds and adds it when --executor spark is given; with spark-submit, pass its jar)");
        }
        throw new IllegalArgumentException("--executor: unknown '" + name + "' (allowed: local, spark)");
    }
}
