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
import org.autodiff4j.models.vae.VaeConfig;
import org.autodiff4j.models.vae.VaeEvaluation;
import org.autodiff4j.nn.AtomicFiles;
import org.autodiff4j.tensor.Generator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Evaluates a checkpoint: for a VAE the test negative ELBO and the importance-weighted NLL, for a GAN
 * the digit classifier's report on its samples.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a checkpoint: a VAE's test -ELBO and IWAE NLL, or a GAN's digit-classifier report.")
final class Evaluate implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "vae.safetensors, gan.safetensors or checkpoint.safetensors of a run")
    Path checkpoint;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "folder holding the data sets")
    Path dataDir;

    @Option(names = "--dataset", description = "VAE: the test set, binarized-mnist (default), mnist or fashion-mnist")
    String dataset = "binarized-mnist";

    @Option(names = "--iw-samples", paramLabel = "K", description = "VAE: importance samples per test image (default: ${DEFAULT-VALUE})")
    int iwSamples = 5000;

    @Option(names = "--iw-examples", paramLabel = "N", description = "VAE: test images for the NLL; 0 means all (default: ${DEFAULT-VALUE})")
    int iwExamples = 0;

    @Option(names = "--samples", description = "GAN: samples judged by the digit classifier (default: ${DEFAULT-VALUE})")
    int samples = 10_000;

    @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the figures to this JSON file")
    Path json;

    private final PrintStream log;

    Evaluate(PrintStream log) {
        this.log = log;
    }

    @Override
    public Integer call() throws IOException {
        if (iwSamples < 1 || iwExamples < 0 || samples < 1) {
            throw new IllegalArgumentException("--iw-samples and --samples must be at least 1 and --iw-examples at least 0, "
                    + "got " + iwSamples + ", " + samples + " and " + iwExamples);
        }
        if (!Datasets.names().contains(dataset)) {
            throw new IllegalArgumentException("--dataset: unknown '" + dataset + "' (allowed: "
                    + String.join(", ", Datasets.names()) + ")");
        }
        LoadedModel m = LoadedModel.read(checkpoint);
        Datasets sets = Datasets.standard(dataDir);
        Generator g = new Generator(seed);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("checkpoint", checkpoint.toString());
        results.put("seed", seed);
        if (m.vae() != null) {
            Dataset test = sets.load(dataset, "test");
            if (test.height() * test.width() != m.imageSize()) {
                throw new IllegalArgumentException(dataset + " test images have " + test.height() * test.width()
                        + " pixels, the VAE in " + checkpoint + " expects " + m.imageSize());
            }
            if (m.vae().config().likelihood() == VaeConfig.Likelihood.BERNOULLI && !dataset.equals("binarized-mnist")) {
                test = new Dataset(test.name(), test.sampleBinarized(new Generator(seed + 3)), test.labels(),
                        test.height(), test.width());
            }
            VaeEvaluation.Elbo e = VaeEvaluation.elbo(m.vae(), test.images(), 128, g);
            finite(e.loss(), "test negative ELBO");
            log.printf("test negative ELBO %.2f nats (reconstruction %.2f, KL %.2f) over %d images%n", e.loss(),
                    e.reconstruction(), e.kl(), test.size());
            Dataset iw = iwExamples > 0 ? Datasets.spread(test, iwExamples) : test;
            double nll = finite(VaeEvaluation.importanceWeightedNll(m.vae(), iw.images(), iwSamples, g), "test NLL");
            log.printf("test NLL (IWAE bound, k = %d) %.2f nats over %d images%n", iwSamples, nll, iw.size());
            results.put("model", "vae");
            results.put("dataset", dataset);
            results.put("test_neg_elbo", e.loss());
            results.put("test_reconstruction", e.reconstruction());
            results.put("test_kl", e.kl());
            results.put("test_iw_nll", nll);
            results.put("iw_samples", iwSamples);
            results.put("iw_examples", iw.size());
        } else {
            if (m.imageSize() != 784) {
                throw new IllegalArgumentException(checkpoint + ": the digit report needs a GAN of 28x28 images, this one "
                        + "makes " + m.imageSize() + " values per sample");
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

    /** A figure of the model, or an error when it is NaN or infinite: a broken model's numbers are never reported. */
    private double finite(double value, String what) throws IOException {
        if (!Double.isFinite(value)) {
            throw new IOException(checkpoint + ": the model's " + what + " is " + value + " (damaged or diverged weights)");
        }
        return value;
    }
}
