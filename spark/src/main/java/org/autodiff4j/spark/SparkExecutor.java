package org.autodiff4j.spark;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.autodiff4j.runs.jobs.Task;
import org.autodiff4j.runs.jobs.TaskExecutor;
import org.autodiff4j.runs.jobs.TaskFailedException;
import org.autodiff4j.runs.jobs.TaskRunner;

/**
 * Runs tasks as Apache Spark tasks, one partition each, in the executors' own JVMs, and collects their results on the
 * driver. Spark schedules them and runs a task again when its executor is lost (a worker killed or gone); a task that
 * fails by itself (an exception in its code) is not retried, since it would fail again, and is reported with the
 * others' results kept. Tasks write their files (a sweep's run folders) to paths every worker must be able to write.
 *
 * <p>Each task is given one core ({@code spark.task.cpus}, default 1): its Java threads
 * ({@code -Dautodiff4j.threads}) and OpenBLAS's ({@code OPENBLAS_NUM_THREADS}) are set to that. With a master on this
 * machine ({@code local[N]}, or a standalone master on a loopback address) the driver listens on 127.0.0.1 and the
 * executors get the driver's class path; otherwise the jars named {@code autodiff4j*} on the class path are shipped
 * ({@code spark.jars}), as {@code spark-submit} ships its application jar.
 *
 * <p>Data-parallel SGD is not done here on purpose: a training step takes milliseconds, far less than Spark's cost of
 * scheduling a stage; Spark carries whole runs and evaluation shards, which take minutes.
 */
public final class SparkExecutor implements TaskExecutor {
    private final JavaSparkContext sc;
    private final String description;

    /** Finds this executor for {@code --executor spark}. */
    public static final class Provider implements TaskExecutor.Provider {
        /** Makes the provider; {@link java.util.ServiceLoader} makes it. */
        public Provider() {
        }

        @Override
        public String name() {
            return "spark";
        }

        @Override
        public TaskExecutor create(String master, int parallel, Path logs, boolean singleThreadedBlas) {
            if (parallel != 0) {
                throw new IllegalArgumentException("--parallel is for the local executor; Spark runs as many tasks at "
                        + "once as its executors have cores");
            }
            return new SparkExecutor(master);
        }
    }

    /**
     * Starts a Spark application on {@code master}.
     *
     * @param master a master URL ({@code spark://host:port}, {@code local[N]}, {@code yarn}, ...), or null for the one
     *               {@code spark-submit} gives ({@code spark.master})
     * @throws IllegalArgumentException when there is no master, or a standalone master does not answer
     */
    public SparkExecutor(String master) {
        SparkConf conf = new SparkConf().setAppName("autodiff4j");
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            throw new IllegalArgumentException("--executor spark needs --master URL (spark://host:7077, local[2], ...)"
                    + " or spark-submit's --master");
        }
        String url = conf.get("spark.master");
        boolean here = url.startsWith("local") || (url.startsWith("spark://") && loopback(url));
        if (url.startsWith("spark://")) {
            requireReachable(url);
        }
        if (here) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            if (!conf.contains("spark.jars")) {
                conf.setIfMissing("spark.executor.extraClassPath", System.getProperty("java.class.path"));
            }
        } else if (!conf.contains("spark.jars")) {
            String jars = List.of(System.getProperty("java.class.path").split(File.pathSeparator)).stream()
                    .filter(p -> p.endsWith(".jar") && Path.of(p).getFileName().toString().startsWith("autodiff4j"))
                    .collect(Collectors.joining(","));
            conf.set("spark.jars", jars);
        }
        conf.setIfMissing("spark.ui.enabled", "false");
        String cores = conf.get("spark.task.cpus", "1");
        conf.setIfMissing("spark.executorEnv.OPENBLAS_NUM_THREADS", "1");
        conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", "1");
        conf.setIfMissing("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE");
        conf.setIfMissing("spark.executorEnv.OPENBLAS_THREAD_TIMEOUT", "4");
        StringBuilder opts = new StringBuilder("-Dautodiff4j.threads=" + cores + " -Djava.awt.headless=true");
        for (String p : System.getProperties().stringPropertyNames()) {
            if (p.startsWith("autodiff4j.") && !p.equals("autodiff4j.threads") && !p.startsWith("autodiff4j.test")) {
                opts.append(" -D").append(p).append('=').append(System.getProperty(p));
            }
        }
        conf.set("spark.executor.extraJavaOptions", (conf.get("spark.executor.extraJavaOptions", "") + " " + opts).strip());
        this.sc = new JavaSparkContext(conf);
        sc.setLogLevel("WARN");
        this.description = "spark: " + url;
    }

    private static boolean loopback(String url) {
        for (String hostPort : url.substring("spark://".length()).split(",")) {
            String host = hostPort.contains(":") ? hostPort.substring(0, hostPort.lastIndexOf(':')) : hostPort;
            if (!host.equals("localhost") && !host.startsWith("127.")) {
                return false;
            }
        }
        return true;
    }

    /** A standalone master that does not answer fails here in seconds, not after Spark's minute of retries. */
    private static void requireReachable(String url) {
        List<String> refused = new ArrayList<>();
        for (String hostPort : url.substring("spark://".length()).split(",")) {
            URI u = URI.create("spark://" + hostPort);
            if (u.getHost() == null || u.getPort() < 0) {
                throw new IllegalArgumentException("--master " + url + ": expected spark://HOST:PORT");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 5000);
                return;
            } catch (IOException e) {
                refused.add(u.getHost() + ":" + u.getPort() + " (" + (e.getMessage() == null ? e.toString() : e.getMessage()) + ")");
            }
        }
        throw new IllegalArgumentException("--master " + url + ": no Spark master answers at " + String.join(", ", refused)
                + "; start it, or give --executor local");
    }

    @Override
    public String describe() {
        return description + " (" + sc.defaultParallelism() + " cores)";
    }

    @Override
    public List<String> runAll(List<Task> tasks, PrintStream log) throws IOException {
        List<List<String>> encoded = new ArrayList<>();
        for (Task t : tasks) {
            List<String> e = new ArrayList<>(List.of(t.id(), t.runner()));
            e.addAll(t.args());
            encoded.add(e);
        }
        if (tasks.isEmpty()) {
            return List.of();
        }
        JavaRDD<List<String>> rdd = sc.parallelize(encoded, tasks.size());
        List<List<String>> out;
        try {
            out = rdd.map(SparkExecutor::runTask).collect();
        } catch (RuntimeException e) {
            throw new IOException("the Spark job failed: " + oneLine(e), e);
        }
        List<String> results = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        String first = null;
        for (int i = 0; i < out.size(); i++) {
            List<String> r = out.get(i);
            if (r.get(0).equals("ok")) {
                results.add(r.get(1));
                log.printf(Locale.ROOT, "[%d/%d] %s done on %s, %s s%n", i + 1, tasks.size(), tasks.get(i).id(), r.get(2), r.get(3));
            } else {
                results.add(null);
                failed.add(tasks.get(i).id());
                first = first == null ? tasks.get(i).id() + ": " + r.get(1) : first;
                log.printf("[%d/%d] %s failed on %s: %s%n", i + 1, tasks.size(), tasks.get(i).id(), r.get(2), r.get(1));
            }
        }
        if (!failed.isEmpty()) {
            throw new TaskFailedException(failed, failed.size() + " of " + tasks.size() + " tasks failed; the first, " + first
                    + " (its log: the Spark executor's stdout)");
        }
        return results;
    }

    /** In an executor: runs one task; {@code [ok, result, host, seconds]} or {@code [failed, message, host]}. */
    private static List<String> runTask(List<String> e) {
        Task t = new Task(e.get(0), e.get(1), e.subList(2, e.size()));
        String host = hostName();
        long start = System.nanoTime();
        try {
            String result = TaskRunner.runHere(t, System.out);
            return List.of("ok", result, host, String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
        } catch (Exception ex) {
            return List.of("failed", oneLine(ex), host);
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName() + " (pid " + ProcessHandle.current().pid() + ")";
        } catch (IOException ex) {
            return "pid " + ProcessHandle.current().pid();
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return m.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    @Override
    public void close() {
        sc.stop();
    }
}
