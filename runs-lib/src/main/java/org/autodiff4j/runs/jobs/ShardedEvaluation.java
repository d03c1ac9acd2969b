package org.autodiff4j.runs.jobs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.autodiff4j.models.ModelRegistry;
import org.autodiff4j.models.data.Dataset;
import org.autodiff4j.models.data.Datasets;
import org.autodiff4j.models.eval.ImageClassifier;
import org.autodiff4j.models.vae.Vae;
import org.autodiff4j.models.vae.VaeEvaluation;
import org.autodiff4j.nn.Module;
import org.autodiff4j.runs.FrechetReport;
import org.autodiff4j.runs.VaeExperiment;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/**
 * The two big evaluations cut into shards that run anywhere ({@link TaskExecutor}) and give the same result bit for bit
 * for any number of shards and any executor. The work is cut into fixed blocks that do not depend on the shard count
 * ({@value VaeEvaluation#BLOCK} test images for the importance-weighted NLL, {@value FrechetReport#BLOCK} samples or test
 * images for the Fréchet distance); a shard is a run of whole blocks; every block draws from its own random stream
 * ({@link Generator#splitAt}: the example's index for the NLL, the block's for the samples), and the driver puts the
 * blocks' results together in block order. Each shard loads the checkpoint and the data itself, so they must be at a
 * path every worker can read.
 */
public final class ShardedEvaluation {
    private ShardedEvaluation() {
    }

    /**
     * The blocks {@code [from, to)} of shard {@code shard} of {@code shards}, over {@code blocks} blocks: as even as
     * whole blocks allow.
     *
     * @param blocks the number of blocks
     * @param shard  the shard, from 0
     * @param shards the number of shards
     * @return {from, to}
     */
    public static int[] blocksOf(int blocks, int shard, int shards) {
        return new int[] {(int) ((long) blocks * shard / shards), (int) ((long) blocks * (shard + 1) / shards)};
    }

    /**
     * What a sharded evaluation reads: a checkpoint, where the data sets are, which one, and the seed of its binarization.
     *
     * @param checkpoint the model's checkpoint
     * @param dataDir    the folder of the data sets, or null for the usual places
     * @param dataset    the test set's name
     * @param dataSeed   the seed of the test set's binarization (for a Bernoulli VAE on grayscale images)
     */
    public record Source(Path checkpoint, Path dataDir, String dataset, long dataSeed) {
        List<String> args() {
            return List.of(checkpoint.toAbsolutePath().toString(), dataDir == null ? "-" : dataDir.toAbsolutePath().toString(),
                    dataset, Long.toString(dataSeed));
        }

        static Source of(List<String> a) {
            return new Source(Path.of(a.get(0)), a.get(1).equals("-") ? null : Path.of(a.get(1)), a.get(2),
                    Long.parseLong(a.get(3)));
        }

        Module model() throws IOException {
            return ModelRegistry.standard().load(checkpoint);
        }

        Datasets sets() {
            return Datasets.standard(dataDir);
        }
    }

    /**
     * The importance-weighted NLL's test images: the test set as the VAE models it, or {@code examples} of it spread
     * evenly (0: all).
     *
     * @param src      what is read
     * @param vae      the model
     * @param examples test images to use, 0 for all
     * @return the images as rows
     * @throws IOException when the data cannot be read
     */
    public static Tensor iwaeImages(Source src, Vae vae, int examples) throws IOException {
        Dataset test = VaeExperiment.testSet(src.sets(), src.dataset(), vae, src.dataSeed());
        return (examples > 0 ? Datasets.spread(test, examples) : test).images();
    }

    /**
     * The importance-weighted NLL of a VAE checkpoint in {@code shards} shards on {@code executor}.
     *
     * @param src      the checkpoint and the data
     * @param vae      the model (read from the checkpoint), for the number of test images
     * @param k        importance samples per image
     * @param examples test images, 0 for all
     * @param base     the generator the images' streams split from (not advanced)
     * @param shards   the number of shards (at most the number of blocks)
     * @param executor where the shards run
     * @param log      where progress goes
     * @return every test image's log p(x), in order
     * @throws IOException when a shard fails or the data cannot be read
     */
    public static double[] iwaeSharded(Source src, Vae vae, int k, int examples, Generator base, int shards,
                                       TaskExecutor executor, PrintStream log) throws IOException {
        int n = iwaeImages(src, vae, examples).shape().dim(0);
        List<Task> tasks = shardTasks("iwae-shard-", IwaeShard.class, n, VaeEvaluation.BLOCK, "test images", shards, src,
                List.of(Integer.toString(k), Integer.toString(examples), base.state().toString()));
        double[] out = new double[n];
        int at = 0;
        for (String result : executor.runAll(tasks, log)) {
            double[] part = decodeDoubles(result);
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        if (at != n) {
            throw new IOException("the shards gave " + at + " estimates for " + n + " test images");
        }
        return out;
    }

    /** One shard of the importance-weighted NLL: SOURCE(4) K EXAMPLES BASE-STATE FROM-BLOCK TO-BLOCK. */
    public static final class IwaeShard implements TaskRunner {
        /** Makes the runner; executors make it by reflection. */
        public IwaeShard() {
        }

        @Override
        public String run(List<String> a, PrintStream log) throws Exception {
            Source src = Source.of(a);
            Vae vae = (Vae) src.model();
            Tensor images = iwaeImages(src, vae, Integer.parseInt(a.get(5)));
            Generator base = Generator.fromState(Generator.State.parse(a.get(6)));
            int from = Integer.parseInt(a.get(7));
            int to = Integer.parseInt(a.get(8));
            log.printf("IWAE k = %s, blocks %d to %d of %d images each%n", a.get(4), from, to - 1, VaeEvaluation.BLOCK);
            return encodeDoubles(VaeEvaluation.logLikelihoodBlocks(vae, images, Integer.parseInt(a.get(4)), base, from, to));
        }
    }

    /**
     * The Fréchet distance of a checkpoint's samples to the test images in {@code shards} shards: the classifier is
     * trained (or read from the cache) here first, then every shard computes the features of its blocks of samples and
     * of test images.
     *
     * @param src      the checkpoint and the data set whose test images and classifier are used
     * @param model    the model (read from the checkpoint)
     * @param count    samples (and test images, at most all of them)
     * @param base     the generator the sample blocks' streams split from (not advanced)
     * @param shards   the number of shards
     * @param executor where the shards run
     * @param log      where progress goes
     * @param results  where the figures go, as {@link FrechetReport#run} puts them
     * @return the squared Fréchet distance
     * @throws IOException when a shard fails or the data cannot be read
     */
    public static double fidSharded(Source src, Module model, int count, Generator base, int shards, TaskExecutor executor,
                                    PrintStream log, Map<String, Object> results) throws IOException {
        Map.Entry<ImageClassifier, Double> c = FrechetReport.classifier(src.sets(), src.dataset(), log);
        List<Task> tasks = shardTasks("fid-shard-", FidShard.class, count, FrechetReport.BLOCK, "samples", shards, src,
                List.of(Integer.toString(count), base.state().toString()));
        List<Tensor> samples = new ArrayList<>();
        List<Tensor> reference = new ArrayList<>();
        for (String result : executor.runAll(tasks, log)) {
            Map<String, String> m = new ObjectMapper().readValue(result, new TypeReference<Map<String, String>>() { });
            samples.add(decodeFloats(m.get("samples")));
            reference.add(decodeFloats(m.get("reference")));
        }
        return FrechetReport.report(c.getKey(), Tensor.concat(0, samples.toArray(Tensor[]::new)),
                Tensor.concat(0, reference.toArray(Tensor[]::new)), src.dataset(), count, c.getValue(), log, results);
    }

    /** One shard of the Fréchet distance: SOURCE(4) COUNT BASE-STATE FROM-BLOCK TO-BLOCK. */
    public static final class FidShard implements TaskRunner {
        /** Makes the runner; executors make it by reflection. */
        public FidShard() {
        }

        @Override
        public String run(List<String> a, PrintStream log) throws Exception {
            Source src = Source.of(a);
            Module model = src.model();
            Map.Entry<ImageClassifier, Double> c = FrechetReport.classifier(src.sets(), src.dataset(), log);
            int count = Integer.parseInt(a.get(4));
            Generator base = Generator.fromState(Generator.State.parse(a.get(5)));
            int from = Integer.parseInt(a.get(6));
            int to = Integer.parseInt(a.get(7));
            FrechetReport.Features f = FrechetReport.features(c.getKey(), model, src.sets(), src.dataset(), count, base, from, to);
            Map<String, String> out = new LinkedHashMap<>();
            out.put("samples", encodeFloats(f.samples()));
            out.put("reference", encodeFloats(f.reference()));
            return new ObjectMapper().writeValueAsString(out);
        }
    }

    /**
     * The tasks of {@code shards} shards over {@code n} items in blocks of {@code blockSize}: each gets the source's
     * arguments, {@code args}, then its first and past-the-last block.
     */
    private static List<Task> shardTasks(String prefix, Class<? extends TaskRunner> runner, int n, int blockSize,
                                         String what, int shards, Source src, List<String> args) {
        int blocks = (n + blockSize - 1) / blockSize;
        if (shards < 1 || shards > blocks) {
            throw new IllegalArgumentException("--shards must be from 1 to " + blocks + " (the blocks of " + blockSize + " "
                    + what + "), got " + shards);
        }
        List<Task> tasks = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            int[] r = blocksOf(blocks, s, shards);
            List<String> a = new ArrayList<>(src.args());
            a.addAll(args);
            a.addAll(List.of(Integer.toString(r[0]), Integer.toString(r[1])));
            tasks.add(new Task(prefix + s, runner.getName(), a));
        }
        return tasks;
    }

    /** Doubles as base64 of their IEEE bits (little-endian), exact. */
    static String encodeDoubles(double[] v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(v);
        return "\"" + Base64.getEncoder().encodeToString(b.array()) + "\"";
    }

    static double[] decodeDoubles(String json) throws IOException {
        byte[] bytes = Base64.getDecoder().decode(new ObjectMapper().readValue(json, String.class));
        double[] v = new double[bytes.length / 8];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(v);
        return v;
    }

    /** A float32 matrix as base64 of {@code rows, cols} then its values (little-endian), exact. */
    static String encodeFloats(Tensor t) {
        float[] v = t.toFloatArray();
        ByteBuffer b = ByteBuffer.allocate(8 + 4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(t.shape().dim(0)).putInt(t.shape().dim(1));
        b.asFloatBuffer().put(v);
        return Base64.getEncoder().encodeToString(b.array());
    }

    static Tensor decodeFloats(String text) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(text)).order(ByteOrder.LITTLE_ENDIAN);
        int rows = b.getInt();
        int cols = b.getInt();
        float[] v = new float[rows * cols];
        b.asFloatBuffer().get(v);
        return Tensor.of(v, rows, cols);
    }
}
