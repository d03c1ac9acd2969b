package org.autodiff4j.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import org.autodiff4j.runs.CheckpointEvaluation;
import org.autodiff4j.runs.jobs.TaskExecutor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code evaluate}: the options of {@link CheckpointEvaluation}, then one call to it and the JSON file. */
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
        Flags.notTheInput("--json", json, checkpoint);
        // given --shards or --executor, the work goes to shards (one included), whose BLAS is single-threaded, so the
        // figures are the same bit for bit for any number of them; without, it runs here as train-vae's does
        boolean sharded = spec.commandLine().getParseResult().hasMatchedOption("--shards")
                || spec.commandLine().getParseResult().hasMatchedOption("--executor");
        Map<String, Object> results = CheckpointEvaluation.run(new CheckpointEvaluation.Settings(checkpoint, dataDir,
                dataset, evaluationSamples, evaluationExamples, samples, fid, seed, shards,
                sharded ? this::executor : null), log);
        if (json != null) {
            CheckpointEvaluation.writeJson(json, results);
        }
        return 0;
    }

    private TaskExecutor executor() {
        // the shards' logs, named in the message when one fails
        return TaskExecutor.named(executor, master, 0, Path.of(System.getProperty("java.io.tmpdir"),
                "autodiff4j-shards-" + ProcessHandle.current().pid()), true);
    }
}
