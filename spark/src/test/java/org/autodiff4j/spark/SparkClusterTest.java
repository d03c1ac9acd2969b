package org.autodiff4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.autodiff4j.models.vae.Vae;
import org.autodiff4j.models.vae.VaeConfig;
import org.autodiff4j.nn.Checkpoint;
import org.autodiff4j.runs.jobs.LocalExecutor;
import org.autodiff4j.runs.jobs.ShardedEvaluation;
import org.autodiff4j.runs.jobs.Sweep;
import org.autodiff4j.runs.jobs.SweepSpec;
import org.autodiff4j.runs.jobs.SweepTrial;
import org.autodiff4j.runs.jobs.TaskExecutor;
import org.autodiff4j.tensor.Generator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real standalone cluster (a master and two one-core workers, each its own JVM, on 127.0.0.1) against the local
 * executor: the same sweep and the same sharded evaluation give the same figures bit for bit, and a worker killed in the
 * middle of a trial costs nothing but time.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkClusterTest {
    @TempDir
    static Path tmp;

    static LocalCluster cluster;
    static SparkExecutor spark;
    static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster(tmp.resolve("cluster"), 2);
        spark = new SparkExecutor(cluster.url());
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Map<String, Object> sweep(SweepSpec spec, Path dir, TaskExecutor ex) throws IOException {
        return Sweep.run(spec, null, dir, ex, MixtureProgram.class, QUIET);
    }

    private static JsonNode metrics(Path sweep, String trial) throws IOException {
        return new ObjectMapper().readTree(sweep.resolve("trials").resolve(trial).resolve("metrics.json").toFile());
    }

    private static void assertSameTrials(SweepSpec spec, Path a, Path b) throws IOException {
        for (SweepSpec.Trial t : spec.trials()) {
            for (String figure : List.of("modes_covered", "high_quality", "reverse_kl", "seed")) {
                assertEquals(metrics(a, t.id()).get(figure).asText(), metrics(b, t.id()).get(figure).asText(),
                        t.id() + " " + figure);
            }
            for (String file : List.of("scatter.png", "losses.csv", "report.html", SweepTrial.DONE)) {
                assertTrue(Files.isRegularFile(b.resolve("trials").resolve(t.id()).resolve(file)), t.id() + " " + file);
            }
        }
    }

    @Test
    @Order(1)
    void aSweepOnTheCluster_givesTheLocalExecutorsFigures() throws IOException {
        SweepSpec spec = SweepSpec.parse("gan-mixture", List.of("--steps", "300"), "0-3", f -> false);
        Path local = tmp.resolve("local");
        Path onSpark = tmp.resolve("spark");
        try (LocalExecutor ex = new LocalExecutor(0, local.resolve("logs"), false)) {
            sweep(spec, local, ex);
        }
        Map<String, Object> summary = sweep(spec, onSpark, spark);
        assertEquals(4L, ((Number) summary.get("finished")).longValue());
        assertSameTrials(spec, local, onSpark);
        Map<String, Object> localSummary = new ObjectMapper().readValue(local.resolve("summary.json").toFile(),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
        assertEquals(SparkExecutorTest.withoutTimes(localSummary.get("settings")), SparkExecutorTest.withoutTimes(summary.get("settings")));
    }

    @Test
    @Order(2)
    void aShardedEvaluationOnTheCluster_isTheLocalOneBitForBit() throws IOException {
        Path data = Path.of(System.getProperty("autodiff4j.test.data", "../../shared/data"));
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(data.resolve("binarized-mnist")),
                "no binarized MNIST in " + data);
        Vae vae = new Vae(new VaeConfig(784, List.of(64), 8, "tanh", VaeConfig.Likelihood.BERNOULLI), new Generator(3));
        Path checkpoint = tmp.resolve("vae.safetensors");
        Checkpoint.save(checkpoint, vae, null, vae.description());
        ShardedEvaluation.Source src = new ShardedEvaluation.Source(checkpoint, data, "binarized-mnist", 0);
        Generator base = new Generator(11);
        double[] onSpark = ShardedEvaluation.iwaeSharded(src, vae, 20, 300, base, 2, spark, QUIET);
        double[] local;
        double[] local3;
        try (LocalExecutor ex = new LocalExecutor(0, tmp.resolve("shard-logs"), true)) {
            local = ShardedEvaluation.iwaeSharded(src, vae, 20, 300, base, 2, ex, QUIET);
            local3 = ShardedEvaluation.iwaeSharded(src, vae, 20, 300, base, 3, ex, QUIET);
        }
        assertEquals(300, onSpark.length);
        assertArrayEquals(local, onSpark);
        assertArrayEquals(local, local3);
    }

    @Test
    @Order(3)
    void aWorkerKilledInTheMiddleOfATrial_costsOnlyTime() throws Exception {
        SweepSpec spec = SweepSpec.parse("gan-mixture", List.of("--steps", "1500"), "0-1", f -> false);
        Path local = tmp.resolve("local-long");
        Path onSpark = tmp.resolve("spark-long");
        try (LocalExecutor ex = new LocalExecutor(0, local.resolve("logs"), false)) {
            sweep(spec, local, ex);
        }
        Thread killer = new Thread(() -> {
            try {
                // the moment a worker's executor prints that it started a trial, that worker is lost
                long until = System.currentTimeMillis() + 120_000;
                while (System.currentTimeMillis() < until) {
                    for (int w = 0; w < 2; w++) {
                        if (runsATrial(cluster.workDirs.get(w))) {
                            Thread.sleep(1000);
                            cluster.kill(w);
                            return;
                        }
                    }
                    Thread.sleep(100);
                }
            } catch (InterruptedException | IOException e) {
                Thread.currentThread().interrupt();
            }
        });
        killer.start();
        Map<String, Object> summary = sweep(spec, onSpark, spark);
        killer.join();
        assertTrue(cluster.workers.stream().anyMatch(p -> !p.isAlive()), "no worker was killed");
        assertEquals(2L, ((Number) summary.get("finished")).longValue());
        assertSameTrials(spec, local, onSpark);
        List<String> rows = Files.readAllLines(onSpark.resolve("trials.csv"));
        assertEquals(3, rows.size(), rows.toString());
        try (var s = Files.list(onSpark.resolve("trials"))) {
            assertEquals(2, s.count()); // no second folder for the trial that ran again
        }
    }

    private static boolean runsATrial(Path workDir) throws IOException {
        try (var files = Files.walk(workDir)) {
            return files.filter(p -> p.getFileName().toString().equals("stdout")).anyMatch(p -> {
                try {
                    return Files.readString(p).contains("trial ");
                } catch (IOException e) {
                    return false;
                }
            });
        }
    }
}
