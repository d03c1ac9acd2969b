package org.autodiff4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.autodiff4j.nn.Checkpoint;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example in its quick mode, end to end on the shared data, as CI runs it. */
class TrainVaeTest {
    @TempDir
    Path tmp;

    private static Path data() {
        Path dir = Path.of(System.getProperty("autodiff4j.test.data", "../../shared/data")).toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isDirectory(dir.resolve("binarized-mnist")), "no shared data at " + dir);
        return dir;
    }

    private static Cli.Result run(String... args) {
        return Cli.run(GanMixtureTest.prepend("train-vae", args));
    }

    @Test
    void quickRun_writesEveryOutput() throws IOException {
        Path runDir = tmp.resolve("run");
        Cli.Result r = run("--quick", "--latent", "2", "--data-dir", data().toString(), "--output", runDir.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().matches("(?s)autodiff4j: BLAS: (native|jblas|java): .*"), r.out());
        for (String f : List.of("metrics.csv", "loss.png", "samples-epoch-001.png", "samples-epoch-002.png",
                "reconstructions.png", "interpolations.png", "samples-drawn.png", "manifold.png", "vae.safetensors",
                "results.json", "report.html")) {
            assertTrue(Files.size(runDir.resolve(f)) > 0, f);
        }
        List<String> csv = Files.readAllLines(runDir.resolve("metrics.csv"));
        assertEquals(3, csv.size());
        assertTrue(csv.get(0).startsWith("epoch,train_neg_elbo,"));
        JsonNode results = new ObjectMapper().readTree(runDir.resolve("results.json").toFile());
        // the IWAE subset (16 images spread over the test set) is not the ELBO's (256): close, not ordered
        double iw = results.get("test_iw_nll").asDouble();
        double elbo = results.get("test_neg_elbo").asDouble();
        assertTrue(iw > 0 && Math.abs(iw - elbo) < 0.1 * elbo, iw + " vs " + elbo);
        assertTrue(Files.readString(runDir.resolve("report.html")).contains("<h1>VAE on binarized-mnist</h1>"));
        assertEquals(2, results.get("epochs_run").asInt());
        try (var files = Files.list(runDir)) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".tmp")), "no temporary files remain");
        }
    }

    @Test
    void quickConvRun_resumesExactly_andSampleAndEvaluateLoadIt() throws IOException {
        Path a = tmp.resolve("conv");
        Cli.Result r = run("--arch", "conv", "--quick", "--data-dir", data().toString(), "--output", a.toString(),
                "--checkpoint-every", "3");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("model: convolutional VAE (conv 32, 64 stride 2; latent 20), bernoulli likelihood"),
                r.out());
        JsonNode results = new ObjectMapper().readTree(a.resolve("results.json").toFile());
        assertEquals("conv-vae", results.get("model").get("model").asText());
        byte[] first = Files.readAllBytes(a.resolve("vae.safetensors"));
        Files.delete(a.resolve("vae.safetensors"));
        Cli.Result again = run("--resume", "--output", a.toString());
        assertEquals(0, again.status(), again.err());
        assertTrue(java.util.Arrays.equals(first, Files.readAllBytes(a.resolve("vae.safetensors"))));
        Path png = tmp.resolve("conv-samples.png");
        Cli.Result s = Cli.run("sample", "--checkpoint", a.resolve("vae.safetensors").toString(), "--count", "4",
                "--output", png.toString());
        assertEquals(0, s.status(), s.err());
        Cli.Result e = Cli.run("evaluate", "--checkpoint", a.resolve("vae.safetensors").toString(), "--data-dir",
                data().toString(), "--iw-samples", "2", "--iw-examples", "4");
        assertEquals(0, e.status(), e.err());
        assertTrue(e.out().contains("test NLL (IWAE bound, k = 2)"), e.out());
        Cli.Result bad = run("--arch", "resnet", "--quick");
        assertEquals(2, bad.status());
        assertEquals("train-vae: --arch: unknown 'resnet' (allowed: mlp, conv)", bad.err().strip());
    }

    @Test
    void convHiddenLayers_areBuiltAndRecorded_andTheMlpDefaultIsNotApplied() throws IOException {
        Path a = tmp.resolve("conv-hidden");
        Cli.Result r = run("--arch", "conv", "--hidden", "24,12", "--quick", "--data-dir", data().toString(),
                "--output", a.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("model: convolutional VAE (conv 32, 64 stride 2; hidden [24, 12]; latent 20)"), r.out());
        JsonNode results = new ObjectMapper().readTree(a.resolve("results.json").toFile());
        assertEquals("24,12", results.get("model").get("hidden").asText());
        Cli.Result plain = run("--arch", "conv", "--quick", "--data-dir", data().toString(), "--output",
                tmp.resolve("conv-plain").toString());
        assertEquals(0, plain.status(), plain.err());
        assertTrue(plain.out().contains("(conv 32, 64 stride 2; latent 20)"), "no hidden layers unless asked: " + plain.out());
        Cli.Result bad = run("--arch", "conv", "--hidden", "24,0", "--quick");
        assertEquals(2, bad.status());
        assertTrue(bad.err().startsWith("train-vae: --hidden"), bad.err());
    }

    @Test
    void initFrom_startsFromACheckpointsParameters_andRefusesAnotherModel() throws IOException {
        Path a = tmp.resolve("first");
        assertEquals(0, run("--arch", "conv", "--hidden", "16", "--quick", "--data-dir", data().toString(), "--output",
                a.toString()).status());
        Path b = tmp.resolve("tuned");
        // a learning rate far below a float32 step of any weight: the tuned run must end where it started
        Cli.Result r = run("--arch", "conv", "--hidden", "16", "--quick", "--lr", "1e-30", "--objective", "iwae", "--k", "3",
                "--init-from", a.resolve("vae.safetensors").toString(), "--data-dir", data().toString(), "--output",
                b.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("parameters from " + a.resolve("vae.safetensors")), r.out());
        var first = Checkpoint.read(a.resolve("vae.safetensors")).tensors();
        var tuned = Checkpoint.read(b.resolve("vae.safetensors")).tensors();
        first.forEach((name, t) -> {
            if (name.startsWith("encoder.") || name.startsWith("decoder.") || name.startsWith("mean.")
                    || name.startsWith("logvar.")) {
                assertTrue(java.util.Arrays.equals(t.toFloatArray(), tuned.get(name).toFloatArray()), name);
            }
        });
        Path fresh = tmp.resolve("fresh");
        assertEquals(0, run("--arch", "conv", "--hidden", "16", "--quick", "--lr", "1e-30", "--seed", "0", "--data-dir",
                data().toString(), "--output", fresh.toString()).status());
        assertTrue(!java.util.Arrays.equals(first.get("encoder.1.weight").toFloatArray(),
                Checkpoint.read(fresh.resolve("vae.safetensors")).tensors().get("encoder.1.weight")
                        .toFloatArray()), "without --init-from the run starts from its own draw");

        Cli.Result other = run("--quick", "--init-from", a.resolve("vae.safetensors").toString(), "--data-dir",
                data().toString(), "--output", tmp.resolve("mlp").toString());
        assertTrue(other.status() != 0, other.out());
        assertTrue(other.err().contains("holds a checkpoint of model 'conv-vae', not 'vae'"), other.err());
        Cli.Result missing = run("--quick", "--init-from", tmp.resolve("none.safetensors").toString(), "--data-dir",
                data().toString(), "--output", tmp.resolve("missing").toString());
        assertTrue(missing.status() != 0);
        assertTrue(missing.err().contains("none.safetensors: not a checkpoint file to start from (--init-from)"),
                missing.err());
    }

    @Test
    void aFolderInUse_isRefused_andFreeAgainAfterwards() throws IOException {
        Path a = tmp.resolve("busy");
        assertEquals(0, run("--quick", "--data-dir", data().toString(), "--output", a.toString()).status());
        byte[] model = Files.readAllBytes(a.resolve("vae.safetensors"));
        try (org.autodiff4j.runs.RunFolder.Lock held = new org.autodiff4j.runs.RunFolder(a).lock()) {
            Cli.Result r = run("--resume", "--output", a.toString());
            assertEquals(2, r.status());
            assertEquals("train-vae: --output " + a + " is in use by another run (process " + ProcessHandle.current().pid()
                    + "); wait for it to end or stop it first", r.err().strip());
        }
        assertTrue(java.util.Arrays.equals(model, Files.readAllBytes(a.resolve("vae.safetensors"))), "left alone");
        assertEquals(0, run("--resume", "--output", a.toString()).status(), "free once the holder let go");
    }

    @Test
    void resumeOnOtherData_stopsNamingBothFingerprints() throws IOException {
        Path a = tmp.resolve("fingerprinted");
        assertEquals(0, run("--quick", "--data-dir", data().toString(), "--output", a.toString()).status());
        // other data of the same shape: the validation images stand in for the training ones
        Path other = tmp.resolve("other/binarized-mnist");
        Files.createDirectories(other);
        Path shared = data().resolve("binarized-mnist");
        Files.copy(shared.resolve("valid-images-idx3-ubyte.gz"), other.resolve("train-images-idx3-ubyte.gz"));
        Files.copy(shared.resolve("valid-images-idx3-ubyte.gz"), other.resolve("valid-images-idx3-ubyte.gz"));
        Files.copy(shared.resolve("test-images-idx3-ubyte.gz"), other.resolve("test-images-idx3-ubyte.gz"));
        Cli.Result r = run("--resume", "--output", a.toString(), "--data-dir", tmp.resolve("other").toString());
        assertEquals(2, r.status(), r.out());
        assertTrue(r.err().matches("train-vae: --resume: the run trained on binarized-mnist/train 640x28x28 sha256:[0-9a-f]{64}, "
                + "the data found now is binarized-mnist/train 640x28x28 sha256:[0-9a-f]{64}; resume with the run's data "
                + "\\(--data-dir\\)\\s*"), r.err());
        assertEquals(0, run("--resume", "--output", a.toString(), "--data-dir", data().toString()).status());
    }

    @Test
    void ctrlCRightAfterAnEpochLine_endsWith130AndTheResumeLine() throws IOException, InterruptedException {
        Path a = tmp.resolve("interrupted");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "train-vae", "--quick", "--epochs", "2",
                "--data-dir", data().toString(), "--output", a.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.startsWith("epoch   1")) {
                new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
                break;
            }
        }
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
        }
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(130, p.exitValue(), seen.toString());
        String last = seen.toString().strip().lines().reduce((x, y) -> y).orElse("");
        assertTrue(last.endsWith("./autodiff4j train-vae --resume --output " + a), seen.toString());
        assertTrue(!seen.toString().contains("Shutdown in progress"), seen.toString());
        assertEquals(0, run("--resume", "--output", a.toString(), "--data-dir", data().toString()).status());
    }

    @Test
    void missingData_failsInOneLineNamingWhatToDo() {
        Cli.Result r = run("--quick", "--data-dir", tmp.resolve("nothing").toString(), "--output", tmp.resolve("o").toString());
        assertEquals(2, r.status());
        String line = r.err().strip();
        assertTrue(line.startsWith("train-vae: binarized-mnist/train not found") && !line.contains("\n"), line);
        assertTrue(line.contains("pass --data-dir DIR, or set AUTODIFF4J_DATA=DIR"), line);
    }

    @Test
    void outOfRangeValues_failBeforeAnyWorkNamingTheFlag() {
        Cli.Result r = run("--iw-samples", "0", "--data-dir", tmp.toString());
        assertEquals(2, r.status());
        assertEquals("train-vae: --iw-samples must be at least 1, got 0", r.err().strip());
        Cli.Result a = run("--activation", "gelu", "--data-dir", tmp.toString());
        assertEquals("train-vae: --activation: unknown 'gelu' (allowed: tanh, sigmoid, relu, leakyrelu)", a.err().strip());
        Cli.Result d = run("--dataset", "cifar");
        assertEquals("train-vae: --dataset: unknown 'cifar' (allowed: binarized-mnist, mnist, fashion-mnist)", d.err().strip());
        Cli.Result b = run("--batch-size", "500000000");
        assertEquals(2, b.status());
        assertEquals("train-vae: --batch-size must be from 1 to 1048576, got 500000000", b.err().strip());
    }

    @Test
    void badOption_exitsWithTwo() {
        Cli.Result r = run("--epochs", "many");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("Invalid value for option '--epochs': 'many' is not an int"), r.err());
    }

    @Test
    void newRun_refusesAFolderThatHoldsFilesAndLeavesThemAlone() throws IOException {
        Path runDir = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(runDir.resolve("results.json"), "{}");
        Cli.Result r = run("--quick", "--data-dir", data().toString(), "--output", runDir.toString());
        assertEquals(2, r.status());
        assertEquals("train-vae: --output " + runDir + " already holds files (results.json); continue that run with "
                + "--resume, or choose another folder", r.err().strip());
        assertEquals("{}", Files.readString(runDir.resolve("results.json")));
        try (var files = Files.list(runDir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void aRunKilledBeforeItsFirstCheckpoint_isRefusedAsNewAndStartsAgainOnResume() throws IOException {
        Path runDir = tmp.resolve("killed");
        // what a run killed in its first epoch leaves: its arguments, a picture, a write cut short
        Files.createDirectories(runDir);
        Files.writeString(runDir.resolve("run-args.json"), new ObjectMapper().writeValueAsString(org.autodiff4j.runs.RunFolder.argumentsMetadata(
                "train-vae", List.of("--quick", "--latent", "3", "--output", runDir.toString()))));
        Files.writeString(runDir.resolve("samples-epoch-001.png"), "partial");
        Files.writeString(runDir.resolve("checkpoint.safetensors12345.tmp"), "cut short");
        Cli.Result again = run("--quick", "--data-dir", data().toString(), "--output", runDir.toString());
        assertEquals(2, again.status());
        assertEquals("train-vae: --output " + runDir + " holds a run stopped before its first checkpoint; --resume starts it "
                + "again from the beginning with its settings, or choose another folder", again.err().strip());
        Cli.Result resumed = run("--resume", "--data-dir", data().toString(), "--output", runDir.toString());
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().contains("no checkpoint in " + runDir + " yet: the run starts again from its beginning"),
                resumed.out());
        assertEquals("3", org.autodiff4j.nn.SafeTensors.read(runDir.resolve("vae.safetensors")).metadata().get("latent"));
        try (var files = Files.list(runDir)) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".tmp")), "the leftover temporary file is gone");
        }
    }

    @Test
    void leftoverTemporaryFiles_alone_doNotBlockANewRun() throws IOException {
        Path runDir = Files.createDirectories(tmp.resolve("tmponly"));
        Files.writeString(runDir.resolve("metrics.csv999.tmp"), "x");
        Cli.Result r = run("--quick", "--data-dir", data().toString(), "--output", runDir.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(Files.exists(runDir.resolve("report.html")) && !Files.exists(runDir.resolve("metrics.csv999.tmp")));
    }

    @Test
    void resume_ofAFinishedRunEndsWithTheSameParametersAndRejectsNewSettings() throws IOException {
        Path a = tmp.resolve("a");
        assertEquals(0, run("--quick", "--data-dir", data().toString(), "--output", a.toString(),
                "--checkpoint-every", "3").status());
        byte[] first = Files.readAllBytes(a.resolve("vae.safetensors"));
        Files.delete(a.resolve("vae.safetensors"));
        Cli.Result again = run("--resume", "--output", a.toString());
        assertEquals(0, again.status(), again.err());
        assertTrue(again.out().contains("resuming " + a + " after 2 epochs and 10 steps (training had finished: "
                + "evaluating)"), again.out());
        assertTrue(java.util.Arrays.equals(first, Files.readAllBytes(a.resolve("vae.safetensors"))));

        Cli.Result mixed = run("--resume", "--epochs", "3", "--output", a.toString());
        assertEquals(2, mixed.status());
        assertEquals("train-vae: --epochs cannot be combined with --resume: a resumed run keeps the settings it "
                + "started with (only --output, --data-dir, --detect-anomaly may be given)", mixed.err().strip());
        Cli.Result missing = run("--resume", "--output", tmp.resolve("none").toString());
        assertEquals(2, missing.status());
        assertEquals("train-vae: --resume: " + tmp.resolve("none").resolve("checkpoint.safetensors") + " does not "
                + "exist (is --output the folder of a train-vae run?)", missing.err().strip());
        Cli.Result noFolder = run("--resume");
        assertEquals(2, noFolder.status());
        assertEquals("train-vae: --resume needs --output, the folder of the run to continue", noFolder.err().strip());
    }

    @Test
    void resume_ofADamagedCheckpointNamesTheFile() throws IOException {
        Path a = tmp.resolve("damaged");
        assertEquals(0, run("--quick", "--data-dir", data().toString(), "--output", a.toString()).status());
        Path ckpt = a.resolve("checkpoint.safetensors");
        byte[] bytes = Files.readAllBytes(ckpt);
        Files.write(ckpt, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Cli.Result r = run("--resume", "--output", a.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("train-vae: " + ckpt + ": "), r.err());
    }
}
