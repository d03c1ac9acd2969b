package org.autodiff4j.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.autodiff4j.models.data.Dataset;
import org.autodiff4j.models.data.Datasets;
import org.autodiff4j.nn.AtomicFiles;
import org.autodiff4j.runs.VaeExperiment;
import org.autodiff4j.runs.jobs.ShardedEvaluation;
import org.autodiff4j.runs.jobs.TaskExecutor;
import org.autodiff4j.tensor.Generator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Evaluates a checkpoint: for a VAE the test negative ELBO and the importance-weighted NLL, for a GAN
 * the digit classifier's report on its samples; with {@code --fid}, for either, the Fréchet distance of its samples
 * to a data set's test images ({@link org.autodiff4j.runs.FrechetReport}).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a checkpoint: a VAE's test -ELBO and IWAE NLL, or a GAN's digit-classifier report; with "
                + "--fid, the Frechet distance of its samples to the test images.")
final class Evaluate implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "vae.safetensors, gan.safetensors or checkpoint.safetensors of a run")
    Path checkpoint;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "folder holding the data sets")
    Path dataDir;

    @Option(names = "--dataset", description = "VAE and --fid: the test set, binarized-mnist (default), mnist or fashion-mnist")
    String dataset = "binarized-mnist";

    @Option(names = "--iw-samples", paramLabel = "K", description = "VAE: importance samples per test image (default: ${DEFAULT-VALUE})")
    int evaluationSamples = 5000;

    @Option(names = "--iw-examples", paramLabel = "N", description = "VAE: test images for the NLL; 0 means all (default: ${DEFAULT-VALUE})")
    int evaluationExamples = 0;

    @Option(names = "--samples", description = "GAN, --fid: samples judged by the classifier (default: ${DEFAULT-VALUE})")
    int samples = 10_000;

    @Option(names = "--fid", description = "instead: the Frechet distance of --samples samples to --dataset's test "
            + "images, in the features of a classifier trained on first use and cached (fashion-mnist, or digits for "
            + "mnist and binarized-mnist)")
    boolean fid;

    @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the figures to this JSON file")
    Path json;

    @Option(names = "--shards", description = "the NLL or --fid in this many shards, run by --executor; the figures are the "
            + "same bit for bit for any number (default: ${DEFAULT-VALUE}: all here)")
    int shards = 1;

    @Option(names = "--executor", description = "where shards run: local (default: processes on this machine) or spark")
    String executor = "local";

    @Option(names = "--master", paramLabel = "URL", description = "spark: the master, e.g. spark://host:7077 or local[2]")
    String master;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final PrintStream log;

    Evaluate(PrintStream log) {
        this.log = log;
    }

    @Override
    public Integer call() throws IOException {
        if (evaluationSamples < 1 || evaluationExamples < 0 || samples < 1) {
            throw new IllegalArgumentException("--iw-samples and --samples must be at least 1 and --iw-examples at least 0, "
                    + "got " + evaluationSamples + ", " + samples + " and " + evaluationExamples);
        }
        if (!Datasets.names().contains(dataset)) {
            throw new IllegalArgumentException("--dataset: unknown '" + dataset + "' (allowed: "
                    + String.join(", ", Datasets.names()) + ")");
        }
        Flags.notTheInput("--json", json, checkpoint);
        LoadedModel m = LoadedModel.read(checkpoint);
        Datasets sets = Datasets.standard(dataDir);
        Generator g = new Generator(seed);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("checkpoint", checkpoint.toString());
        results.put("seed", seed);
        if (shards < 1) {
            throw new IllegalArgumentException("--shards must be at least 1, got " + shards);
        }
        // given --shards or --executor, the work goes to shards (one included), whose BLAS is single-threaded, so the
        // figures are the same bit for bit for any number of them; without, it runs here as train-vae's does
        boolean sharded = spec.commandLine().getParseResult().hasMatchedOption("--shards")
                || spec.commandLine().getParseResult().hasMatchedOption("--executor");
        if (sharded && m.vae() == null && !fid) {
            throw new IllegalArgumentException("--shards and --executor are for a VAE's NLL and for --fid; a GAN's digit "
                    + "report runs here");
        }
        ShardedEvaluation.Source src = new ShardedEvaluation.Source(checkpoint, dataDir, dataset, seed);
        if (fid) {
            results.put("model", m.vae() != null ? "vae" : "gan");
            if (sharded) {
                try (TaskExecutor ex = executor()) {
                    ShardedEvaluation.fidSharded(src, m.model(), samples, Generator.fromState(g.state()), shards, ex, log,
                            results);
                }
            } else {
                org.autodiff4j.runs.FrechetReport.run(sets, dataset, m.model(), samples, g, log, results);
            }
        } else if (m.vae() != null) {
            Dataset test = VaeExperiment.testSet(sets, dataset, m.vae(), seed);
            results.put("model", "vae");
            results.put("dataset", dataset);
            results.put("shards", shards);
            try (TaskExecutor ex = sharded ? executor() : null) {
                results.putAll(VaeExperiment.testFigures(m.vae(), test, 128, evaluationSamples, evaluationExamples, g, log,
                        !sharded ? null : (images, k, base) -> ShardedEvaluation.iwaeSharded(src, m.vae(), k,
                                evaluationExamples, base, shards, ex, log)));
            } catch (IllegalStateException e) {
                throw new IOException(checkpoint + ": the model's " + e.getMessage(), e);
            }
        } else {
            int[] size = m.heightWidth(m.gan().draw(1, new Generator(seed)));
            if (size[0] != 28 || size[1] != 28) {
                throw new IllegalArgumentException(checkpoint + ": the digit report needs a GAN of 28x28 images, this one "
                        + "makes " + size[0] + "x" + size[1]);
            }
            results.put("model", "gan");
            org.autodiff4j.runs.DigitReport.run(sets, m.gan(), samples, 10, seed, g, log, results);
        }
        if (json != null) {
            AtomicFiles.write(json, (new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(results) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return 0;
    }

    private TaskExecutor executor() {
        // the shards' logs, named in the message when one fails
        return TaskExecutor.named(executor, master, 0, Path.of(System.getProperty("java.io.tmpdir"),
                "autodiff4j-shards-" + ProcessHandle.current().pid()), true);
    }
}
