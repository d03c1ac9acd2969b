package org.autodiff4j.runs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.autodiff4j.models.ModelRegistry;
import org.autodiff4j.models.data.Dataset;
import org.autodiff4j.models.data.Datasets;
import org.autodiff4j.models.gan.Gan;
import org.autodiff4j.models.vae.Vae;
import org.autodiff4j.nn.AtomicFiles;
import org.autodiff4j.nn.Module;
import org.autodiff4j.runs.jobs.ShardedEvaluation;
import org.autodiff4j.runs.jobs.TaskExecutor;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/**
 * The evaluation of a saved model, as {@code ./autodiff4j evaluate} runs it: for a VAE the test negative ELBO and the
 * importance-weighted NLL ({@link VaeExperiment#testFigures}), for a GAN of 28x28 images the digit classifier's report
 * on its samples ({@link DigitReport}), and for either, on request, the Fréchet distance of its samples to a data set's
 * test images ({@link FrechetReport}). Any checkpoint the {@link ModelRegistry} reads will do, a user's registered GAN
 * included. With an executor, the NLL or the Fréchet distance runs in shards ({@link ShardedEvaluation}), with the same
 * figures bit for bit.
 */
public final class CheckpointEvaluation {
    private CheckpointEvaluation() {
    }

    /**
     * What to evaluate and how: the options of {@code ./autodiff4j evaluate}, whose names the errors use.
     *
     * @param checkpoint the model's file: vae.safetensors, gan.safetensors or a run's checkpoint.safetensors
     * @param dataDir the folder of the data sets, or null for the usual places
     * @param dataset the test set: binarized-mnist, mnist or fashion-mnist (a VAE's, and the Fréchet distance's)
     * @param iwSamples a VAE's importance samples per test image (k)
     * @param iwExamples a VAE's test images for the NLL, 0 for all
     * @param samples a GAN's samples for the digit report, either model's for the Fréchet distance
     * @param fid the Fréchet distance instead of the model's own figures
     * @param seed the seed of every draw
     * @param shards the number of shards for the NLL or the Fréchet distance (with {@code executor})
     * @param executor opens where the shards run (the evaluation closes it), or null to evaluate in this process
     */
    public record Settings(Path checkpoint, Path dataDir, String dataset, int iwSamples, int iwExamples, int samples,
                           boolean fid, long seed, int shards, Supplier<TaskExecutor> executor) {
        /**
         * Checks the counts, the data set's name and the number of shards.
         *
         * @param checkpoint the model's file
         * @param dataDir the data sets' folder, or null
         * @param dataset the test set
         * @param iwSamples k, at least 1
         * @param iwExamples test images for the NLL, 0 for all
         * @param samples samples, at least 1
         * @param fid the Fréchet distance instead
         * @param seed the seed
         * @param shards at least 1
         * @param executor opens where the shards run, or null
         * @throws IllegalArgumentException naming the first value out of range
         */
        public Settings {
            if (iwSamples < 1 || iwExamples < 0 || samples < 1) {
                throw new IllegalArgumentException("--iw-samples and --samples must be at least 1 and --iw-examples at least 0, "
                        + "got " + iwSamples + ", " + samples + " and " + iwExamples);
            }
            if (!Datasets.names().contains(dataset)) {
                throw new IllegalArgumentException("--dataset: unknown '" + dataset + "' (allowed: "
                        + String.join(", ", Datasets.names()) + ")");
            }
            if (shards < 1) {
                throw new IllegalArgumentException("--shards must be at least 1, got " + shards);
            }
        }

        /**
         * Settings that evaluate {@code checkpoint} in this process with the command's defaults: k = 5000 over all
         * binarized MNIST test images, 10000 samples, seed 0.
         *
         * @param checkpoint the model's file
         * @param dataDir the folder of the data sets, or null
         * @return the settings
         */
        public static Settings of(Path checkpoint, Path dataDir) {
            return new Settings(checkpoint, dataDir, "binarized-mnist", 5000, 0, 10_000, false, 0, 1, null);
        }
    }

    /**
     * Reads the VAE or GAN a checkpoint holds, through {@link ModelRegistry#standard()}.
     *
     * @param file the checkpoint
     * @return a {@link Vae} or a {@link Gan}
     * @throws IllegalArgumentException when the file does not exist
     * @throws IOException naming the file when it is damaged or holds neither a VAE nor a GAN
     */
    public static Module read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--checkpoint " + file + " does not exist");
        }
        Module model = ModelRegistry.standard().load(file);
        if (!(model instanceof Vae) && !(model instanceof Gan)) {
            throw new IOException(file + ": holds a " + model.getClass().getSimpleName() + ", neither a VAE nor a GAN");
        }
        return model;
    }

    /**
     * Evaluates the checkpoint, printing the figures to {@code log} as they come.
     *
     * @param s what to evaluate
     * @param log where the figures and progress go
     * @return {@code checkpoint}, {@code seed}, {@code model} ({@code vae} or {@code gan}), then the figures: a VAE's
     *         {@code test_neg_elbo}, {@code test_iw_nll} and the rest of {@link VaeExperiment#testFigures}, a GAN's
     *         digit report, or {@code fid} and its classifier's accuracy
     * @throws IOException when the checkpoint or the data cannot be read, naming the file, or when a shard fails
     * @throws IllegalArgumentException when the model does not fit the evaluation (a GAN's digit report needs 28x28
     *         images and runs in this process; a VAE, the test set's size)
     */
    public static Map<String, Object> run(Settings s, PrintStream log) throws IOException {
        Module model = read(s.checkpoint());
        if (s.executor() != null && !s.fid() && !(model instanceof Vae)) {
            throw new IllegalArgumentException("--shards and --executor are for a VAE's NLL and for --fid; a GAN's "
                    + "digit report runs here");
        }
        Datasets sets = Datasets.standard(s.dataDir());
        Generator g = new Generator(s.seed());
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("checkpoint", s.checkpoint().toString());
        results.put("seed", s.seed());
        ShardedEvaluation.Source src = new ShardedEvaluation.Source(s.checkpoint(), s.dataDir(), s.dataset(), s.seed());
        if (s.fid()) {
            results.put("model", model instanceof Vae ? "vae" : "gan");
            if (s.executor() != null) {
                try (TaskExecutor ex = s.executor().get()) {
                    ShardedEvaluation.fidSharded(src, model, s.samples(), Generator.fromState(g.state()), s.shards(), ex,
                            log, results);
                }
            } else {
                FrechetReport.run(sets, s.dataset(), model, s.samples(), g, log, results);
            }
        } else if (model instanceof Vae vae) {
            Dataset test = VaeExperiment.testSet(sets, s.dataset(), vae, s.seed());
            results.put("model", "vae");
            results.put("dataset", s.dataset());
            results.put("shards", s.shards());
            try (TaskExecutor ex = s.executor() == null ? null : s.executor().get()) {
                results.putAll(VaeExperiment.testFigures(vae, test, 128, s.iwSamples(), s.iwExamples(), g, log,
                        ex == null ? null : (images, k, base) -> ShardedEvaluation.iwaeSharded(src, vae, k,
                                s.iwExamples(), base, s.shards(), ex, log)));
            } catch (IllegalStateException e) {
                throw new IOException(s.checkpoint() + ": the model's " + e.getMessage(), e);
            }
        } else {
            Gan gan = (Gan) model;
            int[] size = imageSize(s.checkpoint(), gan.draw(1, new Generator(s.seed())));
            if (size[0] != 28 || size[1] != 28) {
                throw new IllegalArgumentException(s.checkpoint() + ": the digit report needs a GAN of 28x28 images, "
                        + "this one makes " + size[0] + "x" + size[1]);
            }
            results.put("model", "gan");
            DigitReport.run(sets, gan, s.samples(), 10, s.seed(), g, log, results);
        }
        return results;
    }

    /**
     * (H, W) of a saved model's samples ({@link ImageGrid#heightWidth}), an error naming the checkpoint when they are not
     * images.
     *
     * @param checkpoint the model's file, for the message
     * @param samples samples the model drew
     * @return {height, width}
     * @throws IllegalArgumentException naming the file when the samples are neither [n, 1, H, W] images nor square rows
     */
    public static int[] imageSize(Path checkpoint, Tensor samples) {
        try {
            return ImageGrid.heightWidth(samples);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(checkpoint + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes figures as indented JSON, through a temporary file and a rename ({@link AtomicFiles#write}).
     *
     * @param file the JSON file
     * @param results the figures
     * @throws IOException when it cannot be written, or {@code file} exists and is not a regular file
     */
    public static void writeJson(Path file, Map<String, Object> results) throws IOException {
        AtomicFiles.write(file, (new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(results)
                + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
