package org.autodiff4j.models.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.autodiff4j.autograd.Variable;
import org.autodiff4j.models.data.Batch;
import org.autodiff4j.models.data.DataLoader;
import org.autodiff4j.models.data.Dataset;
import org.autodiff4j.models.data.TensorDataset;
import org.autodiff4j.models.train.StepContext;
import org.autodiff4j.models.train.StepResult;
import org.autodiff4j.models.train.Task;
import org.autodiff4j.models.train.TrainListener;
import org.autodiff4j.models.train.TrainLoop;
import org.autodiff4j.nn.Activation;
import org.autodiff4j.nn.Checkpoint;
import org.autodiff4j.nn.Conv2d;
import org.autodiff4j.nn.Linear;
import org.autodiff4j.nn.Module;
import org.autodiff4j.nn.Pooling;
import org.autodiff4j.nn.Sequential;
import org.autodiff4j.nn.optim.Adam;
import org.autodiff4j.nn.optim.LearningRateSchedule;
import org.autodiff4j.nn.optim.Scheduler;
import org.autodiff4j.nn.optim.Optimizer;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/**
 * A small convolutional classifier of one-channel square images, the feature extractor of the Fréchet distance
 * ({@link FrechetDistance}) in the role Inception plays for the FID: 3x3 convolutions of 32 and 64 channels (padding
 * 1), each followed by ReLU and 2x2 max pooling, a linear layer to {@value #FEATURES} features with ReLU (the
 * penultimate features, {@link #features}), and a linear layer to the class logits. Inputs are [n, size size] rows
 * with values in [0, 1]. Parameters: {@code body.*}, {@code head.*}.
 */
public final class ImageClassifier extends Module {
    /** The {@code model} value in checkpoints. */
    public static final String MODEL_NAME = "image-classifier";
    /** The width of the penultimate features. */
    public static final int FEATURES = 128;
    /** Images per batch of {@link #features} and {@link #probabilities}. */
    // NOTE: batches of 500 held 50 MB activations, larger than the launcher's young generation, so they went to the
    // old one and grew it: `evaluate --fid` of a DCGAN peaked at 1.23 GB RSS, with batches of 100 at 633 MB (12.5 s
    // against 13.9 s, the same distance to the last digit)
    public static final int BATCH = 100;

    private final int size;
    private final int classes;
    private final Sequential body;
    private final Linear head;

    /**
     * An untrained classifier initialised from {@code g} (PyTorch's default initialisation).
     *
     * @param size the images' height and width, a multiple of 4
     * @param classes the number of classes
     * @param g the generator to draw from
     * @throws IllegalArgumentException when size is not a positive multiple of 4 or classes is below 2
     */
    public ImageClassifier(int size, int classes, Generator g) {
        if (size < 4 || size % 4 != 0 || classes < 2) {
            throw new IllegalArgumentException("ImageClassifier: size " + size + " must be a positive multiple of 4 and "
                    + "classes " + classes + " at least 2");
        }
        this.size = size;
        this.classes = classes;
        int s = size / 4;
        body = registerModule("body", new Sequential(new Pooling.Unflatten(1, size, size),
                new Conv2d(1, 32, 3, 1, 1, g), new Activation.Relu(), new Pooling.MaxPool2d(2, 2),
                new Conv2d(32, 64, 3, 1, 1, g), new Activation.Relu(), new Pooling.MaxPool2d(2, 2),
                new Pooling.Flatten(), new Linear(64 * s * s, FEATURES, g), new Activation.Relu()));
        head = registerModule("head", new Linear(FEATURES, classes, g));
    }

    /**
     * The checkpoint metadata of this classifier.
     *
     * @return {@code model}, {@code size}, {@code classes}
     */
    public Map<String, String> description() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Checkpoint.MODEL_KEY, MODEL_NAME);
        m.put("size", Integer.toString(size));
        m.put("classes", Integer.toString(classes));
        return m;
    }

    /**
     * The classifier a checkpoint's metadata describes, untrained.
     *
     * @param metadata the checkpoint's metadata
     * @return the classifier
     * @throws IllegalArgumentException when the metadata does not describe one
     */
    public static ImageClassifier fromMetadata(Map<String, String> metadata) {
        try {
            return new ImageClassifier(Integer.parseInt(metadata.get("size")), Integer.parseInt(metadata.get("classes")),
                    new Generator(0));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("checkpoint metadata does not describe an image classifier: " + metadata, e);
        }
    }

    /**
     * Class logits.
     *
     * @param x images [n, size size], values in [0, 1]
     * @return logits [n, classes]
     */
    public Variable logits(Variable x) {
        return head.forward(body.forward(x));
    }

    /**
     * The penultimate features of a set of images, in evaluation mode and batches of {@value #BATCH}.
     *
     * @param images [n, size size] rows, values in [0, 1]
     * @return [n, {@value #FEATURES}] float32
     */
    public Tensor features(Tensor images) {
        return inBatches(images, x -> body.forward(x));
    }

    /**
     * How many of the images whose penultimate features are given fall in each class: the head's most likely class
     * per row, counted. With {@link #features} this judges a generator's samples by the classifier of its Fréchet
     * distance, from the same features.
     *
     * @param features [n, {@value #FEATURES}], as {@link #features} gives them
     * @return counts per class, summing to n
     * @throws IllegalArgumentException when features is not [n, {@value #FEATURES}]
     */
    public int[] classCounts(Tensor features) {
        if (features.shape().rank() != 2 || features.shape().dim(1) != FEATURES) {
            throw new IllegalArgumentException("ImageClassifier: needs [n, " + FEATURES + "] features, got "
                    + features.shape());
        }
        int[] counts = new int[classes];
        if (features.shape().dim(0) == 0) {
            return counts;
        }
        for (int c : evaluate(features, BATCH, head::forward).argmax(1)) {
            counts[c]++;
        }
        return counts;
    }

    /**
     * Class probabilities, in evaluation mode and batches of {@value #BATCH}.
     *
     * @param images [n, size size] rows, values in [0, 1]
     * @return [n, classes]
     */
    public Tensor probabilities(Tensor images) {
        return inBatches(images, x -> logits(x).logSoftmax(1).exp());
    }

    private Tensor inBatches(Tensor images, java.util.function.UnaryOperator<Variable> f) {
        int n = images.shape().dim(0);
        if (images.shape().rank() != 2 || images.shape().dim(1) != size * size) {
            throw new IllegalArgumentException("ImageClassifier: needs [n, " + size * size + "] images, got "
                    + images.shape());
        }
        return evaluate(images, BATCH, x -> f.apply(Variable.constant(x.value().to(DType.FLOAT32))));
    }

    /**
     * The fraction of a labelled set classified correctly.
     *
     * @param labelled images with labels
     * @return the accuracy in [0, 1]
     */
    public double accuracy(Dataset labelled) {
        return ClassifierSteps.accuracy(probabilities(labelled.images()).argmax(1), labelled.labels());
    }

    /**
     * Trains for {@code epochs} epochs with the task of {@link #task}.
     *
     * @param labelled images with labels
     * @param epochs passes over the images
     * @param binarize whether each epoch sees a fresh Bernoulli binarization of the grayscale images (to recognise
     *                 binary and grayscale images alike), or the images themselves
     * @param decay the learning rate's factor per epoch (1: constant)
     * @param g the generator for shuffling and binarization
     * @param listener progress (a no-op listener for none)
     */
    public void fit(Dataset labelled, int epochs, boolean binarize, double decay, Generator g, TrainListener listener) {
        try {
            new TrainLoop(task(labelled, binarize, decay), g, TrainLoop.Options.epochs(epochs)).run(listener);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // unreachable: no checkpoints are written
        }
    }

    /**
     * Training as a task for a {@link TrainLoop}: Adam 1e-3 times {@code decay} per epoch after the first, shuffled
     * batches of 128, softmax cross-entropy. Step
     * figures: {@code loss} and {@code accuracy}.
     *
     * @param labelled images with labels
     * @param binarize whether each epoch sees a fresh Bernoulli binarization of the images
     * @param decay the learning rate's factor per epoch (1: constant)
     * @return the task
     * @throws IllegalArgumentException when {@code labelled} has no labels
     */
    public Task task(Dataset labelled, boolean binarize, double decay) {
        if (labelled.labels() == null) {
            throw new IllegalArgumentException("ImageClassifier: " + labelled.name() + " has no labels");
        }
        Adam adam = new Adam(this, 1e-3);
        ImageClassifier model = this;
        return new Task() {
            @Override
            public Module model() {
                return model;
            }

            @Override
            public Map<String, Optimizer> optimizers() {
                return Map.of("adam", adam);
            }

            @Override
            public List<Scheduler> schedulers() {
                return decay == 1.0 ? List.of() : List.of(Scheduler.perEpoch(adam, LearningRateSchedule.step(1, decay)));
            }

            @Override
            public List<Batch> batches(int epoch, Generator g) {
                Tensor x = binarize ? labelled.sampleBinarized(g) : labelled.images();
                return new DataLoader(new TensorDataset(x, labelled.labels()), 128, true, false).epoch(g);
            }

            @Override
            public StepResult step(List<Batch> batches, StepContext context) {
                return ClassifierSteps.crossEntropy(adam, model::logits, batches.get(0), context);
            }

            @Override
            public String name() {
                return MODEL_NAME;
            }
        };
    }
}
