package org.autodiff4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MNIST GAN in its quick mode, end to end on the shared data, as CI runs it. */
class TrainGanTest {
    @TempDir
    Path tmp;

    @Test
    void quickRun_writesEveryOutputAndTheDigitReport() throws IOException {
        Path data = Path.of(System.getProperty("autodiff4j.test.data", "../../shared/data")).toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isDirectory(data.resolve("mnist")), "no shared data at " + data);
        Path runDir = tmp.resolve("run");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), "train-gan", "--quick", "--data-dir",
                data.toString(), "--output", runDir.toString());
        assertEquals(0, status, out.toString(StandardCharsets.UTF_8));
        for (String f : List.of("samples-epoch-001.png", "samples-epoch-002.png", "losses.csv", "interpolations.png",
                "gan.safetensors", "results.json")) {
            assertTrue(Files.size(runDir.resolve(f)) > 0, f);
        }
        JsonNode r = new ObjectMapper().readTree(runDir.resolve("results.json").toFile());
        assertEquals(20, r.get("steps").asInt());
        int total = 0;
        for (JsonNode h : r.get("class_histogram")) {
            total += h.asInt();
        }
        assertEquals(200, total);
        assertTrue(r.get("classifier_accuracy").asDouble() > 0.8);
    }

    @Test
    void quickDcgan_writesItsOutputs_andSampleAndEvaluateLoadIt() throws IOException {
        Path data = Path.of(System.getProperty("autodiff4j.test.data", "../../shared/data")).toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isDirectory(data.resolve("mnist")), "no shared data at " + data);
        Path runDir = tmp.resolve("dcgan");
        Cli.Result r = Cli.run("train-gan", "--arch", "dcgan", "--quick", "--instance-noise", "0", "--real-label", "1",
                "--r1", "0.5", "--discriminator-norm", "layer", "--ema", "0.99", "--data-dir", data.toString(),
                "--output", runDir.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("model: DCGAN, z 100 to 128x7x7 to 64x14x14 to 1x28x28 and back"), r.out());
        assertTrue(r.out().contains("pictures and reports from the generator's average (decay 0.99)"), r.out());
        assertTrue(r.out().contains("1x28x28 and back, layer norm in the discriminator, "), r.out());
        assertTrue(!r.out().contains("taken per batch"), "no batch norm, so no note: " + r.out());
        for (String f : List.of("samples-epoch-001.png", "samples-epoch-002.png", "interpolations.png", "gan.safetensors",
                "report.html")) {
            assertTrue(Files.size(runDir.resolve(f)) > 0, f);
        }
        JsonNode results = new ObjectMapper().readTree(runDir.resolve("results.json").toFile());
        assertEquals("dcgan", results.get("model").get("model").asText());
        assertEquals("0.99", results.get("model").get("ema").asText());
        assertEquals("layer", results.get("model").get("discriminator_norm").asText());
        // the recipe beside the figures
        assertEquals(0.5, results.get("r1").asDouble());
        assertEquals("non-saturating", results.get("generator_loss").asText());
        assertEquals(2e-4, results.get("learning_rate").asDouble());
        assertEquals(0.5, results.get("beta1").asDouble());
        assertEquals(64, results.get("batch_size").asInt());
        Path png = tmp.resolve("dcgan-samples.png");
        Cli.Result s = Cli.run("sample", "--checkpoint", runDir.resolve("checkpoint.safetensors").toString(), "--count", "8",
                "--columns", "4", "--output", png.toString());
        assertEquals(0, s.status(), s.err());
        assertEquals(4 * 29 * 2 + 2, javax.imageio.ImageIO.read(png.toFile()).getWidth());
        Cli.Result e = Cli.run("evaluate", "--checkpoint", runDir.resolve("gan.safetensors").toString(), "--data-dir",
                data.toString(), "--samples", "50");
        assertEquals(0, e.status(), e.err());
        assertEquals("train-gan: --arch: unknown 'resnet' (allowed: mlp, dcgan)", errorOf("--arch", "resnet"));
    }

    @Test
    void tooSmallDataAndBadFlags_areOneLineWithStatusTwo() {
        Path data = Path.of(System.getProperty("autodiff4j.test.data", "../../shared/data")).toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isDirectory(data.resolve("binarized-mnist")), "no shared data at " + data);
        assertEquals("train-gan: binarized-mnist train has 50000 images, fewer than one round of k = 2 batches of "
                + "40000", errorOf("--data-dir", data.toString(), "--batch-size", "40000", "--k", "2",
                "--output", tmp.resolve("big").toString()));
        assertEquals("train-gan: --batch-size 64 is not a multiple of --pack 3", errorOf("--pack", "3"));
        assertEquals("train-gan: --ema must be 0 (none) or in (0, 1), got 1.0", errorOf("--ema", "1"));
        assertEquals("train-gan: --discriminator-norm: unknown 'group' (allowed: batch, layer, none)",
                errorOf("--arch", "dcgan", "--discriminator-norm", "group"));
        assertEquals("train-gan: --discriminator-norm needs --arch dcgan (the mlp discriminator has no normalisation)",
                errorOf("--discriminator-norm", "layer"));
        assertEquals("train-gan: --loss: unknown 'hinge' (allowed: non-saturating, minimax, wasserstein)",
                errorOf("--loss", "hinge"));
        assertTrue(!Files.exists(tmp.resolve("big")), "a failed run leaves no folder behind");
    }

    private static String errorOf(String... args) {
        Cli.Result r = Cli.run(GanMixtureTest.prepend("train-gan", args));
        assertEquals(2, r.status(), r.out());
        return r.err().strip();
    }
}
