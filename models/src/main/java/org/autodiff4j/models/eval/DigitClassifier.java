package org.autodiff4j.models.eval;

import org.autodiff4j.autograd.NoGrad;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.autograd.loss.Losses;
import org.autodiff4j.autograd.loss.Reduction;
import org.autodiff4j.models.data.Batches;
import org.autodiff4j.models.data.Dataset;
import org.autodiff4j.nn.Activation;
import org.autodiff4j.nn.Linear;
import org.autodiff4j.nn.Module;
import org.autodiff4j.nn.Sequential;
import org.autodiff4j.nn.optim.Adam;
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
     * @param g the generator for initialisation order, shuffling and binarization
     */
    public void fit(Dataset labelled, int epochs, Generator g) {
        if (labelled.labels() == null) {
            throw new IllegalArgumentException("fit: " + labelled.name() + " has no labels");
        }
        Adam adam = new Adam(parameters(), 1e-3);
        int n = labelled.size();
        Tensor all = Tensor.concat(1, labelled.images(), Tensor.of(toFloats(labelled.labels()), n, 1));
        for (int e = 0; e < epochs; e++) {
            Tensor binary = labelled.sampleBinarized(g);
            Tensor epochData = Tensor.concat(1, binary, all.narrow(1, 784, 1));
            for (Tensor batch : new Batches(epochData, 128, false).epoch(g)) {
                int[] y = toInts(batch.narrow(1, 784, 1));
                adam.zeroGrad();
                Losses.crossEntropy(logits(Variable.constant(batch.narrow(1, 0, 784))), y, Reduction.MEAN).backward();
                adam.step();
            }
        }
    }

    private static float[] toFloats(int[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = v[i];
        }
        return f;
    }

    private static int[] toInts(Tensor column) {
        float[] f = column.toFloatArray();
        int[] v = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            v[i] = Math.round(f[i]);
        }
        return v;
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
        int[] predicted = probabilities(labelled.images()).argmax(1);
        int correct = 0;
        for (int i = 0; i < predicted.length; i++) {
            correct += predicted[i] == labelled.labels()[i] ? 1 : 0;
        }
        return (double) correct / predicted.length;
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
