package org.autodiff4j.models.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.autodiff4j.models.train.StepContext;
import org.autodiff4j.models.train.StepResult;
import org.autodiff4j.models.train.TrainListener;
import org.autodiff4j.models.train.TrainLoop;
import org.autodiff4j.models.train.TrainingStopped;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GAN's task in the loop: an interrupted and resumed run ends exactly where an uninterrupted one does. */
class GanTaskTest {
    private static final GanConfig TINY = new GanConfig(4, List.of(8), List.of(8), 6, 0.2, true, 1);
    private static final Tensor IMAGES = Tensor.uniform(new Generator(5), -1, 1, DType.FLOAT32, 70, 6);

    @TempDir
    Path tmp;

    private record Parts(Gan gan, TrainLoop loop) {
        static Parts fresh(Tensor images, int batchSize, Path checkpoint) {
            Generator g = new Generator(3);
            Gan gan = Gan.mlp(TINY, g);
            GanTrainer trainer = new GanTrainer(gan, 1e-3, 0.5, new GanTrainer.Options(2, Gan.GeneratorLoss.NON_SATURATING,
                    0.9, 0.5, 20), g);
            TrainLoop.Options o = TrainLoop.Options.epochs(3).withCurve(1);
            if (checkpoint != null) {
                o = o.withCheckpoint(checkpoint, 3).withMetadata(TINY.toMetadata());
            }
            return new Parts(gan, new TrainLoop(GanTask.onImages(gan, trainer, images, batchSize), g, o));
        }
    }

    private static TrainListener stoppingAt(int step, TrainLoop loop) {
        return new TrainListener() {
            @Override
            public void stepDone(StepContext context, StepResult result, double examplesPerSecond) {
                if (context.step() == step) {
                    loop.requestStop();
                }
            }
        };
    }

    @Test
    void resumedLoop_endsWithTheParametersOfAnUninterruptedOne() throws IOException {
        // 70 images, batches of 8 (last dropped): 8 batches, k = 2: 4 rounds per epoch, 3 epochs
        Parts whole = Parts.fresh(IMAGES, 8, null);
        whole.loop().run(new TrainListener() { });
        for (int stopAt : new int[] {2, 4, 9}) {
            Path file = tmp.resolve("stop-" + stopAt + ".safetensors");
            Parts first = Parts.fresh(IMAGES, 8, file);
            assertThrows(TrainingStopped.class, () -> first.loop().run(stoppingAt(stopAt, first.loop())));
            Parts second = Parts.fresh(IMAGES, 8, file);
            second.loop().resume(file, new TrainListener() { });
            whole.gan().namedParameters().forEach((name, p) -> assertArrayEquals(p.value().toFloatArray(),
                    second.gan().namedParameters().get(name).value().toFloatArray(), "stop at " + stopAt + ": " + name));
            assertEquals(whole.loop().state().curve().size(), second.loop().state().curve().size());
            for (int i = 0; i < whole.loop().state().curve().size(); i++) {
                assertArrayEquals(whole.loop().state().curve().get(i), second.loop().state().curve().get(i));
            }
        }
    }

    @Test
    void damagedCheckpoint_isAnIoErrorNamingTheFile() throws IOException {
        Path file = tmp.resolve("c.safetensors");
        Parts.fresh(IMAGES, 8, file).loop().run(new TrainListener() { });
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        IOException e = assertThrows(IOException.class, () -> Parts.fresh(IMAGES, 8, null).loop().resume(file,
                new TrainListener() { }));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }

    @Test
    void nonFiniteData_stopsNamingTheStepAndWithAnomalyModeTheOp() {
        float[] bad = IMAGES.toFloatArray();
        bad[3 * 6 + 2] = Float.NaN;
        Tensor images = Tensor.of(bad, 70, 6);
        Path file = tmp.resolve("nan.safetensors");
        IllegalStateException plain = assertThrows(IllegalStateException.class,
                () -> Parts.fresh(images, 35, file).loop().run(new TrainListener() { }));
        assertEquals("epoch 1, step 1: the discriminator loss is NaN; training stopped before updating the parameters "
                + "(run with anomaly detection to find the op that produced it)", plain.getMessage());
        try (org.autodiff4j.autograd.Anomaly ignored = org.autodiff4j.autograd.Anomaly.detect()) {
            IllegalStateException named = assertThrows(IllegalStateException.class,
                    () -> Parts.fresh(images, 35, file).loop().run(new TrainListener() { }));
            assertTrue(named.getMessage().startsWith("epoch 1, step 1: the forward value of "), named.getMessage());
            assertTrue(named.getMessage().contains(" has NaN at flat index "), named.getMessage());
        }
        assertTrue(!Files.exists(file), "no checkpoint is written from a failed step");
    }
}
