package org.autodiff4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sample and evaluate on checkpoints of quick runs, and their error paths. */
class SampleEvaluateTest {
    @TempDir
    static Path tmp;
    private static Path data;

    private static Cli.Result run(String... args) {
        return Cli.run(args);
    }

    @BeforeAll
    static void trainQuickModels() {
        data = Path.of(System.getProperty("autodiff4j.test.data", "../../shared/data")).toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isDirectory(data.resolve("binarized-mnist")), "no shared data at " + data);
        assertEquals(0, run("train-vae", "--quick", "--data-dir", data.toString(), "--output", tmp.resolve("vae").toString()).status());
        assertEquals(0, run("train-gan", "--quick", "--data-dir", data.toString(), "--output", tmp.resolve("gan").toString()).status());
    }

    @Test
    void sample_writesAGridFromEitherModel() throws IOException {
        Cli.Result v = run("sample", "--checkpoint", tmp.resolve("vae/vae.safetensors").toString(), "--count", "12", "--columns", "4");
        assertEquals(0, v.status(), v.err());
        Path png = tmp.resolve("vae/samples-0.png");
        assertEquals("wrote 12 samples of the VAE to " + png.toAbsolutePath(), v.out().strip());
        assertEquals(4 * 29 * 2 + 2, ImageIO.read(png.toFile()).getWidth());
        Path ganPng = tmp.resolve("gan-samples.png");
        Cli.Result g = run("sample", "--checkpoint", tmp.resolve("gan/checkpoint.safetensors").toString(), "--output", ganPng.toString());
        assertEquals(0, g.status(), g.err());
        assertEquals(8 * 29 * 2 + 2, ImageIO.read(ganPng.toFile()).getHeight());
    }

    @Test
    void evaluate_reportsTheVaeBoundsAndTheGanDigits() throws IOException {
        Path json = tmp.resolve("eval.json");
        Cli.Result v = run("evaluate", "--checkpoint", tmp.resolve("vae/vae.safetensors").toString(), "--data-dir", data.toString(),
                "--iw-samples", "5", "--iw-examples", "8", "--json", json.toString());
        assertEquals(0, v.status(), v.err());
        assertTrue(v.out().matches("(?s)test negative ELBO \\d+\\.\\d\\d nats .* over 10000 images\\s+"
                + "importance-weighted NLL: k = 5 over 8 test images\\.\\.\\.\\s+"
                + "test NLL \\(IWAE bound, k = 5\\) \\d+\\.\\d\\d nats\\s*"), v.out());
        assertTrue(Files.readString(json).contains("\"test_iw_nll\""));
        Cli.Result g = run("evaluate", "--checkpoint", tmp.resolve("gan/gan.safetensors").toString(), "--data-dir", data.toString(),
                "--samples", "50");
        assertEquals(0, g.status(), g.err());
        assertTrue(g.out().startsWith("digit classifier (held-out accuracy "), g.out());
    }

    @Test
    void evaluateFid_scoresEitherModelWithTheCachedClassifier() throws IOException {
        // a cache of its own holding an untrained digit classifier: the real one is trained once on first use
        Path cache = tmp.resolve("cache");
        org.autodiff4j.models.eval.ImageClassifier c = new org.autodiff4j.models.eval.ImageClassifier(28, 10,
                new org.autodiff4j.tensor.Generator(1));
        java.util.Map<String, String> meta = new java.util.LinkedHashMap<>(c.description());
        meta.put("accuracy", "0.5");
        Files.createDirectories(cache.resolve("classifiers"));
        org.autodiff4j.nn.Checkpoint.save(cache.resolve("classifiers/digits-v2.safetensors"), c, null, meta);
        String before = System.getProperty("autodiff4j.cache");
        System.setProperty("autodiff4j.cache", cache.toString());
        try {
            Path json = tmp.resolve("fid.json");
            for (String model : new String[] {"vae/vae.safetensors", "gan/gan.safetensors"}) {
                Cli.Result r = run("evaluate", "--fid", "--checkpoint", tmp.resolve(model).toString(), "--data-dir",
                        data.toString(), "--samples", "300", "--json", json.toString());
                assertEquals(0, r.status(), r.err());
                assertTrue(r.out().matches("Frechet distance \\(digit classifier features, 300 samples vs 300 "
                        + "binarized-mnist test images\\): \\d+\\.\\d{3}\\s*"), r.out());
                var results = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
                assertTrue(results.get("fid").asDouble() > 0, results.toString());
                assertEquals(0.5, results.get("fid_classifier_accuracy").asDouble());
            }
            Cli.Result bad = run("evaluate", "--fid", "--checkpoint", tmp.resolve("gan/gan.safetensors").toString(),
                    "--data-dir", data.toString(), "--dataset", "cifar");
            assertEquals(2, bad.status());
            assertEquals("evaluate: --dataset: unknown 'cifar' (allowed: binarized-mnist, mnist, fashion-mnist)",
                    bad.err().strip());
        } finally {
            if (before == null) {
                System.clearProperty("autodiff4j.cache");
            } else {
                System.setProperty("autodiff4j.cache", before);
            }
        }
    }

    @Test
    void badCheckpointsAndFlags_areOneLineWithStatusTwo() throws IOException {
        Path missing = tmp.resolve("none.safetensors");
        Cli.Result r = run("sample", "--checkpoint", missing.toString());
        assertEquals(2, r.status());
        assertEquals("sample: --checkpoint " + missing + " does not exist", r.err().strip());

        Path text = Files.writeString(tmp.resolve("notes.safetensors"), "not a checkpoint");
        r = run("evaluate", "--checkpoint", text.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("evaluate: " + text + ": not a valid safetensors file at byte 0"), r.err());

        r = run("sample", "--checkpoint", tmp.resolve("vae/vae.safetensors").toString(), "--count", "0");
        assertEquals(2, r.status());
        assertEquals("sample: --count must be in [1, 10000] and --columns at least 1, got 0 and 8", r.err().strip());

        r = run("evaluate", "--checkpoint", tmp.resolve("vae/vae.safetensors").toString(), "--dataset", "cifar");
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("evaluate: --dataset: unknown 'cifar' (allowed: "), r.err());

        r = run("sample");
        assertEquals(2, r.status());
        assertEquals("sample: Missing required option: '--checkpoint=FILE' (see ./autodiff4j sample --help)",
                r.err().strip());
    }
}
