package org.autodiff4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.autodiff4j.models.vae.Vae;
import org.autodiff4j.models.vae.VaeConfig;
import org.autodiff4j.nn.Checkpoint;
import org.autodiff4j.nn.SafeTensors;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input by class, as a new user would give it: every case ends with status 2 and exactly one line on
 * stderr that names the problem; none is accepted silently or ends in a stack trace.
 */
class BadInputTest {
    @TempDir
    Path tmp;

    /** Runs the command in-process and checks: status 2, one line, starting with {@code prefix}, containing {@code part}. */
    private static void rejected(String prefix, String part, String... args) {
        Cli.Result r = Cli.run(args);
        String err = r.err().strip();
        String what = String.join(" ", args) + " -> " + r.status() + ": " + err;
        assertEquals(2, r.status(), what);
        assertEquals(1, err.lines().count(), what);
        assertTrue(err.startsWith(prefix) && err.contains(part), what);
    }

    @Test
    void parseErrors_areOneLinePointingAtHelp() {
        String[][] cases = {
            {"train-vae", "--bogus"}, {"train-vae", "--epochs", "many"}, {"train-vae", "--epochs"},
            {"train-vae", "--batch-size", "99999999999"}, {"train-vae", "--lr", "fast"}, {"train-vae", "--keep", "middle"},
            {"train-vae", "--likelihood", "poisson"}, {"train-gan", "--k", "1.5"}, {"gan-mixture", "--steps", "-"},
            {"gan-mixture", "--unknown=3"}, {"sample", "--count", "x"}, {"evaluate", "--iw-samples", ""}, {"info", "--size"},
        };
        for (String[] args : cases) {
            rejected(args[0] + ": ", "(see ./autodiff4j " + args[0] + " --help)", args);
        }
        rejected("autodiff4j: ", "(see ./autodiff4j --help)", "train-cnn");
    }

    @Test
    void enumValues_acceptTheSpellingTheHelpShows() {
        Cli.Result r = Cli.run("train-vae", "--likelihood", "gaussian", "--keep", "LAST", "--epochs", "0");
        assertEquals("train-vae: --epochs must be at least 1, got 0", r.err().strip()); // parsed; then the range check
    }

    @Test
    void outOfRangeValues_nameTheFlagAndTheAllowedRange() {
        String[][] cases = {
            {"--lr", "NaN"}, {"--lr", "Infinity"}, {"--lr", "-1e-3"}, {"--lr", "0"}, {"--batch-size", "0"},
            {"--batch-size", "-4"}, {"--epochs", "-1"}, {"--latent", "0"}, {"--hidden", "500,0"},
            {"--lr-decay", "NaN"}, {"--iw-samples", "-5"}, {"--checkpoint-every", "-1"},
        };
        for (String[] c : cases) {
            rejected("train-vae: " + c[0], "got", "train-vae", c[0], c[1]);
        }
        String[][] gan = {
            {"--batch-size", "0"}, {"--batch-size", "-4"}, {"--slope", "NaN"}, {"--slope", "1"}, {"--lr", "NaN"},
            {"--beta1", "1"}, {"--real-label", "0"}, {"--k", "0"}, {"--pack", "0"}, {"--samples", "0"},
            {"--ema", "-0.5"}, {"--ema", "NaN"},
        };
        for (String[] c : gan) {
            rejected("gan-mixture: " + c[0], "got", "gan-mixture", c[0], c[1]);
        }
    }

    @Test
    void modelsLargerThanTheHeap_areRejectedBeforeAnyAllocation() {
        rejected("train-vae: --hidden [1000000] --latent 20: a model of ", "this JVM may use", "train-vae", "--hidden", "1000000");
        rejected("train-vae: --hidden [500] --latent 2000000000: ", "parameters", "train-vae", "--latent", "2000000000");
        rejected("gan-mixture: --hidden [1000000, 1000000]", "parameters", "gan-mixture", "--hidden", "1000000,1000000");
    }

    @Test
    void systemProperties_areCheckedBeforeAnyCommandRuns() throws IOException, InterruptedException {
        for (String bad : new String[] {"-Dautodiff4j.threads=0", "-Dautodiff4j.threads=abc", "-Dautodiff4j.threads=100000",
            "-Dautodiff4j.blas=fortran",
            "-Dautodiff4j.sparse.maxDensity=2"}) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), bad,
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), "info", "--size", "16"));
            Process p = new ProcessBuilder(cmd).start();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(2, p.exitValue(), bad + ": " + err);
            assertEquals(1, err.lines().count(), bad + ": " + err);
            assertTrue(err.startsWith("autodiff4j: -D" + bad.substring(2, bad.indexOf('=') + 1)), bad + ": " + err);
        }
    }

    private Path smallVae() throws IOException {
        Vae vae = new Vae(new VaeConfig(784, List.of(8), 2, "tanh", VaeConfig.Likelihood.BERNOULLI), new Generator(1));
        Path file = tmp.resolve("vae.safetensors");
        Checkpoint.save(file, vae, null, vae.description());
        return file;
    }

    @Test
    void checkpointMetadataDescribingAHugeModel_isRejectedBeforeTheModelIsBuilt() throws IOException {
        SafeTensors.Contents c = Checkpoint.read(smallVae());
        Map<String, String> meta = new HashMap<>(c.metadata());
        meta.put("hidden", "1000000");
        Path forged = tmp.resolve("forged.safetensors");
        SafeTensors.write(forged, c.tensors(), meta);
        rejected("sample: " + forged + ": its metadata describes a model of ", "the file holds", "sample", "--checkpoint",
                forged.toString());
        rejected("evaluate: " + forged + ": its metadata", "model numbers", "evaluate", "--checkpoint", forged.toString());
    }

    @Test
    void nonFiniteWeights_areRejectedNamingTheTensorAndElement() throws IOException {
        SafeTensors.Contents c = Checkpoint.read(smallVae());
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            c.tensors().forEach((k, t) -> tensors.put(k, t.copy()));
            tensors.get("decoder.0.bias").puti(5, bad);
            Path damaged = tmp.resolve("nan.safetensors");
            SafeTensors.write(damaged, tensors, c.metadata());
            rejected("sample: " + damaged + ": tensor 'decoder.0.bias' holds " + bad + " at element 5", "",
                    "sample", "--checkpoint", damaged.toString());
        }
    }

    @Test
    void aFullDisk_isOneLineNamingTheFile_whereverItHappens() throws IOException, InterruptedException {
        Path data = Path.of(System.getProperty("autodiff4j.test.data", "../../shared/data")).toAbsolutePath().normalize();
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(data.resolve("binarized-mnist")),
                "no shared data at " + data);
        Path disk = java.nio.file.Files.createDirectories(tmp.resolve("disk"));
        // 100 KB fills up at the second epoch's picture, during training; 600 KB at the final checkpoint
        for (String size : new String[] {"100k", "600k"}) {
            Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", disk.toString())
                    .redirectErrorStream(true).start();
            mount.getInputStream().readAllBytes();
            org.junit.jupiter.api.Assumptions.assumeTrue(mount.waitFor() == 0, "cannot mount a small tmpfs here (not root?)");
            try {
                Path run = disk.resolve("run");
                Cli.Result r = Cli.run("train-vae", "--quick", "--data-dir", data.toString(), "--output", run.toString());
                String err = r.err().strip();
                assertEquals(2, r.status(), err);
                assertEquals(1, err.lines().count(), err);
                assertTrue(err.matches("train-vae: " + java.util.regex.Pattern.quote(run.toString())
                        + "/[a-z0-9-]+\\.(png|safetensors|csv|json|html): cannot be written \\(No space left on device\\); "
                        + "the file as it was before is unchanged"), size + ": " + err);
            } finally {
                new ProcessBuilder("umount", disk.toString()).start().waitFor();
            }
        }
    }

    @Test
    void aModelWhoseFiguresOverflow_reportsNoNumbers() throws IOException {
        Path data = Path.of(System.getProperty("autodiff4j.test.data", "../../shared/data")).toAbsolutePath().normalize();
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(data.resolve("binarized-mnist")),
                "no shared data at " + data);
        SafeTensors.Contents c = Checkpoint.read(smallVae());
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        // every number finite, but the last layer's sums overflow float32
        c.tensors().forEach((k, t) -> tensors.put(k, k.startsWith("decoder.2") ? t.copy().fill(3e38) : t));
        Path huge = tmp.resolve("huge.safetensors");
        SafeTensors.write(huge, tensors, c.metadata());
        rejected("evaluate: " + huge + ": the model's test negative ELBO is ", "(damaged or diverged weights)", "evaluate",
                "--checkpoint", huge.toString(), "--data-dir", data.toString(), "--iw-examples", "4", "--iw-samples", "2");
    }
}
