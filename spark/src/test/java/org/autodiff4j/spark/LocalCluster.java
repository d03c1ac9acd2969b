package org.autodiff4j.spark;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Spark standalone cluster on 127.0.0.1 from the test's class path: a master and workers of one core each, each its
 * own JVM, as on a real cluster; stopped by {@link #close}.
 */
final class LocalCluster implements AutoCloseable {
    final int port;
    private final int webPort;
    private final Process master;
    final List<Process> workers = new ArrayList<>();
    final List<Path> workDirs = new ArrayList<>();

    LocalCluster(Path dir, int workerCount) throws IOException, InterruptedException {
        Path home = dir.resolve("spark-home");
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(p) && !Files.exists(jars.resolve(p.getFileName()))) {
                Files.createSymbolicLink(jars.resolve(p.getFileName()), p.toAbsolutePath());
            }
        }
        port = freePort();
        webPort = freePort();
        master = start(home, dir.resolve("master.log"), "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", Integer.toString(port), "--webui-port", Integer.toString(webPort));
        for (int i = 0; i < workerCount; i++) {
            Path work = Files.createDirectories(dir.resolve("worker-" + i));
            workDirs.add(work);
            workers.add(start(home, dir.resolve("worker-" + i + ".log"), "org.apache.spark.deploy.worker.Worker", "--host",
                    "127.0.0.1", "--port", "0", "--webui-port", Integer.toString(freePort()), "--cores", "1", "--memory",
                    "1g", "--work-dir", work.toString(), url()));
        }
        HttpClient http = HttpClient.newHttpClient();
        long until = System.currentTimeMillis() + 90_000;
        while (true) {
            try {
                String json = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + "/json/"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
                if (json.replace(" ", "").contains("\"aliveworkers\":" + workerCount)) {
                    return;
                }
            } catch (IOException notYet) {
                // the master is still starting
            }
            if (System.currentTimeMillis() > until) {
                close();
                throw new IllegalStateException("the cluster did not start in 90 s; see " + dir);
            }
            Thread.sleep(300);
        }
    }

    String url() {
        return "spark://127.0.0.1:" + port;
    }

    private static Process start(Path home, Path log, String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognized") || a.startsWith("-Djdk.reflect")
                    || a.startsWith("-Dio.netty")) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of("-Xmx256m", "-Dspark.master.rest.enabled=false", "-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Kills a worker and the executor it started, at once, as a machine that is lost. */
    void kill(int worker) throws InterruptedException {
        Process w = workers.get(worker);
        w.descendants().forEach(ProcessHandle::destroyForcibly);
        w.destroyForcibly().waitFor();
    }

    @Override
    public void close() {
        for (Process p : workers) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        master.destroyForcibly();
        try {
            for (Process p : workers) {
                p.waitFor();
            }
            master.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
