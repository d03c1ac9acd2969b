package org.autodiff4j.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * How many threads elementwise work on large tensors is split over: the library's own thread setting,
 * as {@code torch.set_num_threads} (the BLAS reads {@code OPENBLAS_NUM_THREADS}). Defaults to the system
 * property {@code autodiff4j.threads}, else the number of processors.
 */
public final class Parallelism {
    private static volatile int threads = initialThreads();
    private static volatile ForkJoinPool pool;

    /** The most threads {@code -Dautodiff4j.threads} may ask for (a pool of 100000 threads fails to start). */
    public static final int MAX_THREADS = 256;

    private Parallelism() {
    }

    private static int initialThreads() {
        String value = System.getProperty("autodiff4j.threads");
        if (value == null) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= MAX_THREADS) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("-Dautodiff4j.threads=" + value + ": expected a whole number from 1 to "
                + MAX_THREADS);
    }

    /**
     * The number of threads elementwise work may use.
     *
     * @return the number of threads elementwise work may use
     */
    public static int threads() {
        return threads;
    }

    /**
     * Sets the number of threads elementwise work may use (1 keeps it on the calling thread).
     *
     * @param n the thread count, at least 1
     * @throws IllegalArgumentException when {@code n} is below 1 or above {@link #MAX_THREADS}
     */
    public static synchronized void setThreads(int n) {
        if (n < 1 || n > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be from 1 to " + MAX_THREADS + ", got " + n);
        }
        threads = n;
        if (pool != null && pool.getParallelism() != Math.max(1, n - 1)) {
            pool.shutdown();
            pool = null;
        }
    }

    /** The body of a split loop: handles indices {@code [from, to)}. */
    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over {@code [0, n)}: on the calling thread when {@code n < 2 * grain} or one
     * thread is set, else in up to {@link #threads()} contiguous parts, the first on the calling thread.
     */
    static void forRange(int n, int grain, Range body) {
        int parts = Math.min(threads, n / grain);
        if (parts <= 1) {
            body.run(0, n);
            return;
        }
        ForkJoinPool p = pool();
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[parts - 1];
        for (int t = 1; t < parts; t++) {
            int from = (int) ((long) n * t / parts);
            int to = (int) ((long) n * (t + 1) / parts);
            tasks[t - 1] = p.submit(() -> body.run(from, to));
        }
        body.run(0, (int) ((long) n / parts));
        for (ForkJoinTask<?> task : tasks) {
            task.join();
        }
    }

    private static ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (Parallelism.class) {
                if (pool == null) {
                    pool = new ForkJoinPool(Math.max(1, threads - 1));
                }
                p = pool;
            }
        }
        return p;
    }
}
