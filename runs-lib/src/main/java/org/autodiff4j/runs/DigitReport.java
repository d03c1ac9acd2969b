package org.autodiff4j.runs;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;

import org.autodiff4j.models.data.Dataset;
import org.autodiff4j.models.data.Datasets;
import org.autodiff4j.models.eval.DigitClassifier;
import org.autodiff4j.models.gan.Gan;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/**
 * What a digit classifier, trained with this library on the first 8000 labelled MNIST test images and
 * checked on the other 2000, makes of a GAN's samples: the class histogram and its confidence.
 */
public final class DigitReport {
    private DigitReport() {
    }

    /**
     * Trains the classifier ({@code epochs} epochs, seeded from {@code seed}), judges {@code count} samples
     * drawn with {@code g}, prints a line and adds the figures to {@code results}.
     *
     * @param sets    where the labelled MNIST test set is looked for
     * @param gan     the GAN whose samples are judged (outputs in [-1, 1])
     * @param count   samples to judge
     * @param epochs  the classifier's training epochs
     * @param seed    the run's seed; the classifier's generators derive from it
     * @param g       the generator the samples are drawn from
     * @param log     where the line goes
     * @param results where the figures go
     * @throws IOException when the labelled MNIST test set cannot be found
     */
    public static void run(Datasets sets, Gan gan, int count, int epochs, long seed, Generator g, PrintStream log,
                    Map<String, Object> results) throws IOException {
        Dataset labelled = sets.load("mnist", "test");
        DigitClassifier classifier = new DigitClassifier(new Generator(seed + 2));
        classifier.fit(labelled.slice(0, 8000), epochs, new Generator(seed + 3));
        double accuracy = classifier.accuracy(labelled.slice(8000, 10_000));
        Tensor samples = gan.draw(count, g);
        DigitClassifier.Report r = classifier.report(samples.reshape(count, samples.size() / count).add(1.0).mul(0.5).clamp(0, 1));
        log.printf("digit classifier (held-out accuracy %.1f%%) on %d samples: classes %s, mean confidence %.3f, "
                + "%.1f%% at >= 0.9%n", 100 * accuracy, count, Arrays.toString(r.histogram()), r.meanConfidence(),
                100 * r.confident());
        results.put("classifier_accuracy", accuracy);
        results.put("class_histogram", r.histogram());
        results.put("mean_confidence", r.meanConfidence());
        results.put("confident_fraction", r.confident());
    }
}
