package org.autodiff4j.models.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GAN loop's checkpoints: an interrupted and resumed run ends exactly where an uninterrupted one does. */
class GanLoopTest {
    private static final GanConfig TINY = new GanConfig(4, List.of(8), List.of(8), 6, 0.2, true, 1);
    private static final Tensor IMAGES = Tensor.uniform(new Generator(5), -1, 1, DType.FLOAT32, 70, 6);

    @TempDir
    Path tmp;

    private record Parts(Gan gan, GanTrainer trainer, GanLoop loop) {
        static Parts fresh() {
            Generator g = new Generator(3);
            Gan gan = new Gan(TINY, g);
            GanTrainer trainer = new GanTrainer(gan, 1e-3, 0.5, new GanTrainer.Options(2, Gan.GeneratorLoss.NON_SATURATING,
                    0.9, 0.5, 20), g);
            return new Parts(gan, trainer, new GanLoop(gan, trainer, g));
        }
    }

    private static GanLoop.Listener counting(AtomicInteger rounds) {
        return new GanLoop.Listener() {
            @Override
            public void roundDone(int epoch, int round, int total, GanTrainer.Step step) {
                rounds.incrementAndGet();
            }

            @Override
            public void epochDone(int epoch, double[] means, int total) {
            }
        };
    }

    @Test
    void resumedLoop_endsWithTheParametersOfAnUninterruptedOne() throws IOException {
        // 70 images, batches of 8 (last dropped): 8 batches, k = 2: 4 rounds per epoch, 3 epochs
        Parts whole = Parts.fresh();
        whole.loop().run(IMAGES, 8, 2, 3, Integer.MAX_VALUE, tmp.resolve("whole.safetensors"), 0, () -> false, Map.of(),
                counting(new AtomicInteger()));
        for (int stopAt : new int[] {2, 4, 9}) {
            Path file = tmp.resolve("stop-" + stopAt + ".safetensors");
            AtomicInteger rounds = new AtomicInteger();
            Parts first = Parts.fresh();
            assertThrows(GanLoop.Stopped.class, () -> first.loop().run(IMAGES, 8, 2, 3, Integer.MAX_VALUE, file, 3,
                    () -> rounds.get() == stopAt, TINY.toMetadata(), counting(rounds)));
            Parts second = Parts.fresh();
            second.loop().resume(file);
            assertEquals(stopAt, second.loop().steps());
            second.loop().run(IMAGES, 8, 2, 3, Integer.MAX_VALUE, file, 3, () -> false, TINY.toMetadata(),
                    counting(new AtomicInteger()));
            whole.gan().namedParameters().forEach((name, p) -> assertArrayEquals(p.value().toFloatArray(),
                    second.gan().namedParameters().get(name).value().toFloatArray(), "stop at " + stopAt + ": " + name));
            assertEquals(whole.loop().curve().size(), second.loop().curve().size());
        }
    }

    @Test
    void damagedCheckpoint_isAnIoErrorNamingTheFile() throws IOException {
        Parts p = Parts.fresh();
        Path file = tmp.resolve("c.safetensors");
        p.loop().run(IMAGES, 8, 2, 1, Integer.MAX_VALUE, file, 0, () -> false, TINY.toMetadata(), counting(new AtomicInteger()));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        IOException e = assertThrows(IOException.class, () -> Parts.fresh().loop().resume(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }

    @Test
    void nonFiniteData_stopsNamingTheStepAndWithAnomalyModeTheOp() throws IOException {
        float[] bad = IMAGES.toFloatArray();
        bad[3 * 6 + 2] = Float.NaN;
        Tensor images = Tensor.of(bad, 70, 6);
        Path file = tmp.resolve("nan.safetensors");
        IllegalStateException plain = assertThrows(IllegalStateException.class, () -> Parts.fresh().loop().run(images,
                35, 2, 1, Integer.MAX_VALUE, file, 0, () -> false, TINY.toMetadata(), counting(new AtomicInteger())));
        assertEquals("epoch 1, step 1: the discriminator loss is NaN; training stopped before updating the parameters "
                + "(run with anomaly detection to find the op that produced it)", plain.getMessage());
        try (org.autodiff4j.autograd.Anomaly ignored = org.autodiff4j.autograd.Anomaly.detect()) {
            IllegalStateException named = assertThrows(IllegalStateException.class, () -> Parts.fresh().loop().run(images,
                    35, 2, 1, Integer.MAX_VALUE, file, 0, () -> false, TINY.toMetadata(), counting(new AtomicInteger())));
            assertTrue(named.getMessage().startsWith("epoch 1, step 1: the forward value of "), named.getMessage());
            assertTrue(named.getMessage().contains(" has NaN at flat index "), named.getMessage());
        }
        assertTrue(!Files.exists(file), "no checkpoint is written from a failed step");
    }
}
