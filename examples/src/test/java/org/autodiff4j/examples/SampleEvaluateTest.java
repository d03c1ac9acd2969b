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
        org.autodiff4j.nn.Checkpoint.save(cache.resolve("classifiers/digits-v1.safetensors"), c, null, meta);
        String before = System.getProperty("autodiff4j.cache");
        System.setProperty("autodiff4j.cache", cache.toString());
        try {
            Path json = tmp.resolve("fid.json");
            for (String model : new String[] {"vae/vae.safetensors", "gan/gan.safetensors"}) {
                Cli.Result r = run("evaluate", "--fid", "--checkpoint", tmp.resolve(model).toString(), "--data-dir",
                        data.toString(), "--samples", "300", "--json", json.toString());
                assertEquals(0, r.status(), r.err());
                assertTrue(r.out().matches("Frechet distance \\(digit classifier features, 300 samples vs 300 "
                        + "binarized-mnist test images\\): \\d+\\.\\d{3}\\s*"
                        + "classes by the digit classifier \\(50\\.00% held out\\): \\[[0-9, ]+\\], "
                        + "each \\d+\\.\\d-\\d+\\.\\d% of 300 samples\\s*"), r.out());
                var results = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
                assertTrue(results.get("fid").asDouble() > 0, results.toString());
                assertEquals(0.5, results.get("fid_classifier_accuracy").asDouble());
                int judged = 0;
                for (var k : results.get("fid_class_counts")) {
                    judged += k.asInt();
                }
                assertEquals(300, judged, results.toString());
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
    void outputs_neverReplaceADeviceAFifoALinkOrTheCheckpoint() throws IOException, InterruptedException {
        Path ckpt = tmp.resolve("gan/gan.safetensors");
        byte[] before = Files.readAllBytes(ckpt);
        Cli.Result same = run("evaluate", "--checkpoint", ckpt.toString(), "--json", ckpt.toString(), "--samples", "10");
        assertEquals(2, same.status());
        assertEquals("evaluate: --json " + ckpt + " is the checkpoint being read; give another file", same.err().strip());
        Cli.Result sameSample = run("sample", "--checkpoint", ckpt.toString(), "--output", ckpt.toString());
        assertEquals(2, sameSample.status());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(ckpt)), "the checkpoint is untouched");

        Path target = tmp.resolve("real.json");
        Files.writeString(target, "keep");
        Path link = tmp.resolve("link.json");
        Files.createSymbolicLink(link, target);
        Cli.Result viaLink = run("evaluate", "--checkpoint", ckpt.toString(), "--json", link.toString(), "--samples", "10");
        assertEquals(2, viaLink.status());
        assertEquals("evaluate: " + link + ": is a symbolic link; outputs are written only as regular files and a link is "
                + "never replaced (give the path it points to); nothing was written", viaLink.err().strip());
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("keep", Files.readString(target));

        Path fifo = tmp.resolve("fifo.png");
        Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "no mkfifo");
        Cli.Result toFifo = run("sample", "--checkpoint", ckpt.toString(), "--output", fifo.toString());
        assertEquals(2, toFifo.status());
        assertEquals("sample: " + fifo + ": is not a regular file (a device or a FIFO); outputs are written only as "
                + "regular files; nothing was written", toFifo.err().strip());
        assertTrue(!Files.isRegularFile(fifo) && Files.exists(fifo), "the FIFO is still a FIFO");
        Path folder = tmp.resolve("a-folder.png");
        Files.createDirectories(folder);
        assertEquals(2, run("sample", "--checkpoint", ckpt.toString(), "--output", folder.toString()).status());
        assertTrue(Files.isDirectory(folder));
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
