package org.autodiff4j.models.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.autodiff4j.models.SharedData;
import org.autodiff4j.models.data.Dataset;
import org.autodiff4j.models.data.Datasets;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class DigitClassifierTest {

    @Test
    void trainedOnLabelledMnist_recognisesHeldOutDigits() throws IOException {
        Dataset mnist = new Datasets(List.of(SharedData.dir()), Path.of("target/no-cache"), null, Duration.ofSeconds(1))
                .load("mnist", "test");
        Generator g = new Generator(0);
        DigitClassifier c = new DigitClassifier(g);
        c.fit(mnist.slice(0, 8000), 3, g);
        Dataset heldOut = mnist.slice(8000, 10_000);
        double accuracy = c.accuracy(heldOut);
        assertTrue(accuracy > 0.9, "held-out accuracy " + accuracy);
        DigitClassifier.Report r = c.report(heldOut.images());
        assertEquals(2000, Arrays.stream(r.histogram()).sum());
        assertTrue(Arrays.stream(r.histogram()).allMatch(h -> h > 100), Arrays.toString(r.histogram()));
        assertTrue(r.meanConfidence() > 0.85 && r.confident() > 0.7, r.toString());
        // noise is not a digit: low confidence
        DigitClassifier.Report noise = c.report(Tensor.rand(g, DType.FLOAT32, 500, 784));
        assertTrue(noise.meanConfidence() < r.meanConfidence(), noise.toString());
        assertThrows(IllegalArgumentException.class, () -> c.fit(new Dataset("x", Tensor.zeros(DType.FLOAT32, 2, 784),
                null, 28, 28), 1, g));
    }
}
