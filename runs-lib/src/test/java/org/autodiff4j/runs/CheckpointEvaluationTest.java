package org.autodiff4j.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.autodiff4j.models.data.Datasets;
import org.autodiff4j.models.gan.Dcgan;
import org.autodiff4j.models.gan.Gan;
import org.autodiff4j.models.vae.Vae;
import org.autodiff4j.models.vae.VaeConfig;
import org.autodiff4j.nn.Checkpoint;
import org.autodiff4j.nn.Linear;
import org.autodiff4j.runs.jobs.LocalExecutor;
import org.autodiff4j.tensor.Generator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A saved model evaluated from the library as the evaluate command does: in this process, in shards, and refused. */
class CheckpointEvaluationTest {
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @TempDir
    Path tmp;

    private static Path data() {
        Path data = Path.of(System.getProperty("autodiff4j.test.data", "../../shared/data")).toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isDirectory(data.resolve("binarized-mnist")), "no shared data at " + data);
        return data;
    }

    private Path savedVae() throws IOException {
        Vae vae = new Vae(new VaeConfig(784, List.of(32), 4, "relu", VaeConfig.Likelihood.BERNOULLI), new Generator(3));
        Path file = tmp.resolve("vae.safetensors");
        Checkpoint.save(file, vae, null, vae.description());
        return file;
    }

    @Test
    void aVae_givesTheSameFiguresHereAndInShards() throws IOException {
        Path data = data();
        Path file = savedVae();
        Map<String, Object> here = CheckpointEvaluation.run(new CheckpointEvaluation.Settings(file, data,
                "binarized-mnist", 2, 200, 10, false, 7, 1, null), QUIET);
        assertEquals("vae", here.get("model"));
        assertEquals(200, here.get("iw_examples"));
        double nll = (Double) here.get("test_iw_nll");
        double elbo = (Double) here.get("test_neg_elbo");
        assertTrue(nll > 100 && nll < 1000, "an untrained VAE's NLL: " + nll);
        assertTrue(nll < elbo + 50, "the k = 2 bound is near the ELBO: " + nll + " vs " + elbo);

        Map<String, Object> one = sharded(file, data, 1);
        Map<String, Object> two = sharded(file, data, 2);
        assertEquals(2, two.get("shards"));
        assertEquals(one.get("test_iw_nll"), two.get("test_iw_nll"), "bit for bit for any number of shards");
        assertEquals(here.get("test_neg_elbo"), two.get("test_neg_elbo"));
        assertEquals(nll, (Double) two.get("test_iw_nll"), 1e-4 * nll, "as here, but for the threads' order of sums");

        Path json = tmp.resolve("figures.json");
        CheckpointEvaluation.writeJson(json, here);
        assertTrue(Files.readString(json).contains("\"test_iw_nll\" : " + nll), Files.readString(json));
    }

    private Map<String, Object> sharded(Path file, Path data, int shards) throws IOException {
        return CheckpointEvaluation.run(new CheckpointEvaluation.Settings(file, data, "binarized-mnist", 2, 200, 10, false,
                7, shards, () -> new LocalExecutor(2, tmp.resolve("logs-" + shards), true)), QUIET);
    }

    @Test
    void badSettingsAndFiles_areRefusedWithOneLine() throws IOException {
        Path vae = savedVae();
        Path data = tmp.resolve("no-data");
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> new CheckpointEvaluation.Settings(
                vae, data, "binarized-mnist", 0, 0, 10, false, 0, 1, null));
        assertEquals("--iw-samples and --samples must be at least 1 and --iw-examples at least 0, got 0, 10 and 0",
                k.getMessage());
        IllegalArgumentException set = assertThrows(IllegalArgumentException.class, () -> new CheckpointEvaluation.Settings(
                vae, data, "cifar", 5, 0, 10, false, 0, 1, null));
        assertEquals("--dataset: unknown 'cifar' (allowed: " + String.join(", ", Datasets.names()) + ")",
                set.getMessage());

        Path missing = tmp.resolve("missing.safetensors");
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> CheckpointEvaluation.read(missing));
        assertEquals("--checkpoint " + missing + " does not exist", none.getMessage());
        Path linear = tmp.resolve("linear.safetensors");
        Checkpoint.save(linear, new Linear(2, 2, new Generator(0)), null, Map.of());
        IOException notAModel = assertThrows(IOException.class, () -> CheckpointEvaluation.read(linear));
        assertTrue(notAModel.getMessage().startsWith(linear.toString()), notAModel.getMessage());

        Gan gan = Dcgan.of(8, 1, 8, new Generator(0));
        Path ganFile = tmp.resolve("gan.safetensors");
        Checkpoint.save(ganFile, gan, null, gan.description());
        IllegalArgumentException sharded = assertThrows(IllegalArgumentException.class, () -> CheckpointEvaluation.run(
                new CheckpointEvaluation.Settings(ganFile, data, "binarized-mnist", 5, 0, 10, false, 0, 2,
                        () -> { throw new AssertionError("no executor is opened for a refused evaluation"); }), QUIET));
        assertEquals("--shards and --executor are for a VAE's NLL and for --fid; a GAN's digit report runs here",
                sharded.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> CheckpointEvaluation.run(
                new CheckpointEvaluation.Settings(ganFile, data, "binarized-mnist", 5, 0, 10, false, 0, 1, null), QUIET));
        assertEquals(ganFile + ": the digit report needs a GAN of 28x28 images, this one makes 8x8", size.getMessage());
    }
}
