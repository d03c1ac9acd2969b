package org.autodiff4j.runs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.autodiff4j.models.data.Dataset;
import org.autodiff4j.models.data.Datasets;
import org.autodiff4j.models.eval.FrechetDistance;
import org.autodiff4j.models.eval.ImageClassifier;
import org.autodiff4j.models.gan.Gan;
import org.autodiff4j.models.train.EpochRecord;
import org.autodiff4j.models.train.TrainListener;
import org.autodiff4j.models.vae.Vae;
import org.autodiff4j.nn.Checkpoint;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/**
 * The Fréchet distance of a generative model's samples to a data set's test images, in the features of an
 * {@link ImageClassifier} trained with this library (the FID's recipe with a small classifier in Inception's place):
 * the classifier of Fashion-MNIST learns its 60000 training images (10 epochs, the learning rate times 0.8 each) and is scored on its 10000 test images;
 * the digit classifier (for mnist and binarized-mnist) learns fresh binarizations of the first 8000 labelled MNIST
 * test images (20 epochs, a constant learning rate) and is scored on the other 2000. Each is trained once, with seed 0, and cached as
 * {@code CACHE/classifiers/NAME.safetensors}, so every run and every library is measured on the same scale.
 */
public final class FrechetReport {

    private FrechetReport() {
    }

    /** The classifier behind a data set's distance and its accuracy on images it did not learn. */
    private record Scale(String name, String labelled, boolean binarize, int epochs, double decay, String recipe) {
        // the recipe's version is in the cache name: a new recipe trains anew
        static Scale of(String dataset) {
            return switch (dataset) {
                case "fashion-mnist" -> new Scale("fashion-mnist", "fashion-mnist", false, 10, 0.8, "v2");
                case "mnist", "binarized-mnist" -> new Scale("digits", "mnist", true, 20, 1.0, "v1");
                default -> throw new IllegalArgumentException("Fréchet distance: no classifier for '" + dataset
                        + "' (allowed: fashion-mnist, mnist, binarized-mnist)");
            };
        }
    }

    /**
     * The classifier a data set's distance uses: read from the cache, or trained (a few minutes, said on {@code log})
     * and cached.
     *
     * @param sets where the data sets are looked for, and the cache
     * @param dataset fashion-mnist, mnist or binarized-mnist
     * @param log where progress goes
     * @return the classifier and its held-out accuracy, as {@code accuracy} in its metadata
     * @throws IOException when the data cannot be read or the cache cannot be written
     */
    public static Map.Entry<ImageClassifier, Double> classifier(Datasets sets, String dataset, PrintStream log)
            throws IOException {
        Scale scale = Scale.of(dataset);
        Path file = sets.cache().resolve("classifiers").resolve(scale.name() + "-" + scale.recipe() + ".safetensors");
        if (Files.isRegularFile(file)) {
            Map<String, String> meta = Checkpoint.read(file).metadata();
            ImageClassifier c = ImageClassifier.fromMetadata(meta);
            Checkpoint.load(file, c, null, ImageClassifier.MODEL_NAME);
            return Map.entry(c, Double.parseDouble(meta.get("accuracy")));
        }
        Dataset train;
        Dataset heldOut;
        if (scale.labelled().equals("fashion-mnist")) {
            train = sets.load("fashion-mnist", "train");
            heldOut = sets.load("fashion-mnist", "test");
        } else {
            Dataset all = sets.load("mnist", "test");
            train = all.slice(0, 8000);
            heldOut = all.slice(8000, 10_000);
        }
        log.printf("training the %s classifier of the Fréchet distance on %d images (%d epochs, once; cached in %s)...%n",
                scale.name(), train.size(), scale.epochs(), file);
        ImageClassifier c = new ImageClassifier(train.height(), 10, new Generator(0));
        c.fit(train, scale.epochs(), scale.binarize(), scale.decay(), new Generator(1), new TrainListener() {
            @Override
            public void epochDone(EpochRecord r) {
                log.printf("  classifier epoch %d: loss %.4f, accuracy %.4f, %.1f s%n", r.epoch(), r.get("train.loss"),
                        r.get("train.accuracy"), r.seconds());
            }
        });
        double accuracy = c.accuracy(heldOut);
        log.printf("%s classifier: %.2f%% on %d held-out images%n", scale.name(), 100 * accuracy, heldOut.size());
        Map<String, String> meta = new LinkedHashMap<>(c.description());
        meta.put("accuracy", Double.toString(accuracy));
        meta.put("trained_on", train.name() + " " + train.size());
        Files.createDirectories(file.getParent());
        Checkpoint.save(file, c, null, meta);
        return Map.entry(c, accuracy);
    }

    /** Samples (and test images) per block: each block of samples draws from its own stream, {@code g.splitAt(block)}. */
    public static final int BLOCK = 500;

    /**
     * {@code count} samples of a GAN or VAE as [count, pixels] rows in [0, 1]: GAN outputs are taken to be in
     * [-1, 1], VAE samples are the decoder's means; drawn in blocks of {@value #BLOCK}, block {@code b} from
     * {@code g.splitAt(b)} (then {@code g} is advanced past those splits), networks in evaluation mode.
     *
     * @param model a {@link Gan} or a {@link Vae}
     * @param count the number of samples
     * @param g the generator to draw from
     * @return the samples
     * @throws IllegalArgumentException for another kind of model
     */
    public static Tensor samples(Object model, int count, Generator g) {
        int blocks = (count + BLOCK - 1) / BLOCK;
        Tensor x = samples(model, count, g, 0, blocks);
        for (int i = 0; i < blocks; i++) {
            g.split();
        }
        return x;
    }

    /** The samples of blocks {@code [from, to)} of {@code count}, block {@code b} drawn from {@code base.splitAt(b)}. */
    static Tensor samples(Object model, int count, Generator base, int from, int to) {
        Tensor[] parts = new Tensor[to - from];
        for (int i = from; i < to; i++) {
            int n = Math.min(BLOCK, count - i * BLOCK);
            Generator g = base.splitAt(i);
            Tensor x;
            if (model instanceof Gan gan) {
                x = gan.draw(n, g).add(1.0).mul(0.5);
            } else if (model instanceof Vae vae) {
                vae.eval();
                try {
                    x = vae.sample(n, g, false);
                } finally {
                    vae.train();
                }
            } else {
                throw new IllegalArgumentException("Fréchet distance: samples of a GAN or a VAE, not " + model.getClass());
            }
            parts[i - from] = x.reshape(n, x.size() / n).clamp(0, 1);
        }
        return Tensor.concat(0, parts);
    }

    /**
     * Classifier features of some blocks of samples and of the test images at the same places.
     *
     * @param samples   [samples in the blocks, features]
     * @param reference [test images in the blocks, features] (fewer, or none, past the end of the test set)
     */
    public record Features(Tensor samples, Tensor reference) {
    }

    /**
     * The features of blocks {@code [from, to)}: the samples of those blocks ({@code base.splitAt(b)} for block
     * {@code b}) and the test images with the same indices, each block one batch, so the result of a block does not
     * depend on which other blocks are computed with it.
     *
     * @param classifier the classifier whose penultimate layer gives the features
     * @param model a {@link Gan} or a {@link Vae}
     * @param sets where the data sets are looked for
     * @param dataset the test set's name
     * @param count samples in all
     * @param base the generator the blocks split from (not advanced)
     * @param from the first block
     * @param to the block after the last
     * @return the features
     * @throws IOException when the test set cannot be read
     * @throws IllegalArgumentException when the model's images do not have the test images' size
     */
    public static Features features(ImageClassifier classifier, Object model, Datasets sets, String dataset, int count,
                                    Generator base, int from, int to) throws IOException {
        Dataset test = sets.load(dataset, "test");
        int refCount = Math.min(count, test.size());
        Tensor samples = samples(model, count, base, from, to);
        int pixels = test.height() * test.width();
        if (samples.shape().dim(1) != pixels) {
            throw new IllegalArgumentException("Fréchet distance: the model makes images of " + samples.shape().dim(1)
                    + " pixels, " + dataset + " has " + pixels);
        }
        int lo = Math.min(refCount, from * BLOCK);
        int hi = Math.min(refCount, to * BLOCK);
        Tensor reference = hi > lo ? classifier.features(test.images().narrow(0, lo, hi - lo)) : null;
        Tensor sampleFeatures = classifier.features(samples);
        if (reference == null) {
            reference = Tensor.zeros(sampleFeatures.dtype(), 0, sampleFeatures.shape().dim(1));
        }
        return new Features(sampleFeatures, reference);
    }

    /**
     * The Fréchet distance between {@code count} samples of a model and as many test images of {@code dataset}
     * (all of them when it has fewer), prints a line and adds {@code fid}, {@code fid_samples},
     * {@code fid_classifier_accuracy} and {@code fid_dataset} to {@code results}. The samples are drawn in blocks as
     * {@link #samples(Object, int, Generator)} draws them, so the figure equals that of the same evaluation in shards
     * ({@link org.autodiff4j.runs.jobs.ShardedEvaluation}).
     *
     * @param sets where the data sets are looked for, and the classifier cache
     * @param dataset fashion-mnist, mnist or binarized-mnist: the reference test images and the classifier
     * @param model a {@link Gan} or a {@link Vae} of images of the data set's size
     * @param count samples to draw
     * @param g the generator the samples are drawn from
     * @param log where the line goes
     * @param results where the figures go
     * @return the squared Fréchet distance (the FID's convention)
     * @throws IOException when the data cannot be read or the cache cannot be written
     */
    public static double run(Datasets sets, String dataset, Object model, int count, Generator g, PrintStream log,
                             Map<String, Object> results) throws IOException {
        Map.Entry<ImageClassifier, Double> c = classifier(sets, dataset, log);
        int blocks = (count + BLOCK - 1) / BLOCK;
        Features f = features(c.getKey(), model, sets, dataset, count, g, 0, blocks);
        for (int i = 0; i < blocks; i++) {
            g.split();
        }
        return report(c.getKey(), f.samples(), f.reference(), dataset, count, c.getValue(), log, results);
    }

    /**
     * The Fréchet distance between two sets of features, with its line and figures (as {@link #run}), and a second
     * line with the classes the same classifier gives the samples ({@code fid_class_counts} in results): a stronger
     * judge of a digit GAN's class shares than the digit report's smaller classifier, trained afresh for each report.
     *
     * @param classifier the classifier whose features these are
     * @param samples the samples' features
     * @param reference the test images' features
     * @param dataset the test set's name
     * @param count the number of samples
     * @param accuracy the classifier's held-out accuracy
     * @param log where the line goes
     * @param results where the figures go
     * @return the squared Fréchet distance
     */
    public static double report(ImageClassifier classifier, Tensor samples, Tensor reference, String dataset, int count,
                                double accuracy, PrintStream log, Map<String, Object> results) {
        double fid = FrechetDistance.between(samples, reference);
        String judge = dataset.equals("fashion-mnist") ? "fashion-mnist" : "digit";
        log.printf("Frechet distance (%s classifier features, %d samples vs %d %s test images): %.3f%n",
                judge, count, reference.shape().dim(0), dataset, fid);
        int[] counts = classifier.classCounts(samples);
        int n = Math.max(1, samples.shape().dim(0));
        int lo = Arrays.stream(counts).min().orElse(0);
        int hi = Arrays.stream(counts).max().orElse(0);
        log.printf("classes by the %s classifier (%.2f%% held out): %s, each %.1f-%.1f%% of %d samples%n", judge,
                100 * accuracy, Arrays.toString(counts), 100.0 * lo / n, 100.0 * hi / n, n);
        results.put("fid_class_counts", counts);
        results.put("fid", fid);
        results.put("fid_dataset", dataset);
        results.put("fid_samples", count);
        results.put("fid_classifier_accuracy", accuracy);
        return fid;
    }
}
