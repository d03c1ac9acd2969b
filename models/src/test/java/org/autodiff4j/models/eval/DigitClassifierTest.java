package org.autodiff4j.models.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.autodiff4j.models.train.StepContext;
import org.autodiff4j.models.train.StepResult;
import org.autodiff4j.models.train.TrainListener;
import org.autodiff4j.models.train.TrainLoop;
import org.autodiff4j.models.train.TrainingStopped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void classifierTask_resumedMidEpochEndsWithTheParametersOfAnUninterruptedRun(@TempDir Path tmp) throws IOException {
        Dataset mnist = new Datasets(List.of(SharedData.dir()), Path.of("target/no-cache"), null, Duration.ofSeconds(1))
                .load("mnist", "test").slice(0, 600); // 5 batches of 128, the last short
        DigitClassifier whole = new DigitClassifier(new Generator(4));
        new TrainLoop(whole.task(mnist), new Generator(5), TrainLoop.Options.epochs(2)).run(new TrainListener() { });
        for (int stopAt : new int[] {2, 5, 7}) {
            Path file = tmp.resolve("c" + stopAt + ".safetensors");
            DigitClassifier first = new DigitClassifier(new Generator(4));
            TrainLoop loop = new TrainLoop(first.task(mnist), new Generator(5),
                    TrainLoop.Options.epochs(2).withCheckpoint(file, 0));
            assertThrows(TrainingStopped.class, () -> loop.run(new TrainListener() {
                @Override
                public void stepDone(StepContext c, StepResult r, double examplesPerSecond) {
                    if (c.step() == stopAt) {
                        loop.requestStop();
                    }
                }
            }));
            DigitClassifier second = new DigitClassifier(new Generator(77));
            new TrainLoop(second.task(mnist), new Generator(78), TrainLoop.Options.epochs(2).withCheckpoint(file, 0))
                    .resume(file, new TrainListener() { });
            whole.namedParameters().forEach((name, p) -> assertArrayEquals(p.value().toFloatArray(),
                    second.namedParameters().get(name).value().toFloatArray(), "stop at " + stopAt + ": " + name));
        }
    }
}
