package org.autodiff4j.models.eval;

import java.util.List;
import java.util.Map;

import org.autodiff4j.autograd.NoGrad;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.models.data.Batch;
import org.autodiff4j.models.data.DataLoader;
import org.autodiff4j.models.data.TensorDataset;
import org.autodiff4j.models.train.StepContext;
import org.autodiff4j.models.train.StepResult;
import org.autodiff4j.models.train.Task;
import org.autodiff4j.models.train.TrainListener;
import org.autodiff4j.models.train.TrainLoop;
import org.autodiff4j.models.data.Dataset;
import org.autodiff4j.nn.Activation;
import org.autodiff4j.nn.Linear;
import org.autodiff4j.nn.Module;
import org.autodiff4j.nn.Sequential;
import org.autodiff4j.nn.optim.Adam;
import org.autodiff4j.nn.optim.Optimizer;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/**
 * A small MLP digit classifier (784-512-10, ReLU) for judging generated MNIST digits: which classes a
 * generator produces and how confidently each sample is recognised. Inputs are [n, 784] images with
 * values in [0, 1]. Parameters: {@code net.*}.
 */
public final class DigitClassifier extends Module {
    /** The {@code model} value in checkpoints. */
    public static final String MODEL_NAME = "digit-classifier";
    private static final int CLASSES = 10;

    private final Sequential net;

    /**
     * An untrained classifier initialised from {@code g}.
     *
     * @param g the generator to draw from
     */
    public DigitClassifier(Generator g) {
        net = registerModule("net", new Sequential(new Linear(784, 512, g), new Activation.Relu(), new Linear(512, CLASSES, g)));
    }

    /**
     * Class logits, [n, 10].
     *
     * @param x images [n, 784], values in [0, 1]
     * @return class logits, [n, 10]
     */
    public Variable logits(Variable x) {
        return net.forward(x);
    }

    /**
     * Trains with Adam (1e-3, batch 128) for {@code epochs} epochs; each epoch sees a fresh Bernoulli
     * binarization of the grayscale images, so both grayscale and binary digits are recognised.
     *
     * @param labelled grayscale digits with labels
     * @param epochs passes over {@code labelled}
     * @param g the generator for shuffling and binarization
     * @throws IllegalArgumentException when {@code labelled} has no labels
     */
    public void fit(Dataset labelled, int epochs, Generator g) {
        try {
            new TrainLoop(task(labelled), g, TrainLoop.Options.epochs(epochs)).run(new TrainListener() { });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // unreachable: no checkpoints, a listener that writes nothing
        }
    }

    /**
     * The training of {@link #fit} as a task for a {@link TrainLoop} of one's own (checkpoints, resume,
     * progress): Adam 1e-3 keyed by parameter name, batches of 128 of a fresh binarization each epoch,
     * softmax cross-entropy. Step figures: {@code loss} and {@code accuracy}.
     *
     * @param labelled grayscale digits with labels
     * @return the task
     * @throws IllegalArgumentException when {@code labelled} has no labels
     */
    public Task task(Dataset labelled) {
        if (labelled.labels() == null) {
            throw new IllegalArgumentException("fit: " + labelled.name() + " has no labels");
        }
        Adam adam = new Adam(this, 1e-3);
        DigitClassifier model = this;
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
            public List<Batch> batches(int epoch, Generator g) {
                TensorDataset binary = new TensorDataset(labelled.sampleBinarized(g), labelled.labels());
                return new DataLoader(binary, 128, true, false).epoch(g);
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

    /**
     * Class probabilities, [n, 10].
     *
     * @param images images as rows [n, pixels]
     * @return class probabilities, [n, 10]
     */
    public Tensor probabilities(Tensor images) {
        try (NoGrad ignored = NoGrad.enter()) {
            return logits(Variable.constant(images.to(DType.FLOAT32))).logSoftmax(1).exp().value();
        }
    }

    /**
     * The fraction of a labelled set classified correctly.
     *
     * @param labelled digits with labels
     * @return the fraction classified correctly
     */
    public double accuracy(Dataset labelled) {
        return ClassifierSteps.accuracy(probabilities(labelled.images()).argmax(1), labelled.labels());
    }

    /**
     * What a set of generated digits looks like to the classifier.
     *
     * @param histogram      samples assigned to each class
     * @param meanConfidence the mean of each sample's highest class probability
     * @param confident      the fraction of samples whose highest probability is at least 0.9
     */
    public record Report(int[] histogram, double meanConfidence, double confident) {
    }

    /**
     * Classifies [n, 784] images with values in [0, 1].
     *
     * @param images images as rows [n, pixels]
     * @return the class histogram and confidence of the images
     */
    public Report report(Tensor images) {
        Tensor p = probabilities(images);
        int[] predicted = p.argmax(1);
        double[] top = p.max(1, false).toDoubleArray();
        int[] histogram = new int[CLASSES];
        double sum = 0;
        int confident = 0;
        for (int i = 0; i < predicted.length; i++) {
            histogram[predicted[i]]++;
            sum += top[i];
            confident += top[i] >= 0.9 ? 1 : 0;
        }
        return new Report(histogram, sum / predicted.length, (double) confident / predicted.length);
    }
}
