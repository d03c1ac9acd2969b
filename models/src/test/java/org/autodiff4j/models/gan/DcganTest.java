package org.autodiff4j.models.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.autodiff4j.autograd.Variable;
import org.autodiff4j.models.ModelRegistry;
import org.autodiff4j.models.train.StepContext;
import org.autodiff4j.models.train.StepResult;
import org.autodiff4j.models.train.TrainListener;
import org.autodiff4j.models.train.TrainLoop;
import org.autodiff4j.models.train.TrainingStopped;
import org.autodiff4j.nn.Checkpoint;
import org.autodiff4j.nn.Module;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Shape;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DCGAN's networks, its resume with batch norm's running statistics, and its registry entry. */
class DcganTest {
    private static final Tensor IMAGES = Tensor.uniform(new Generator(5), -1, 1, DType.FLOAT32, 40, 1, 8, 8);

    @TempDir
    Path tmp;

    @Test
    void networks_mapZToImagesAndImagesToOneLogit() {
        Gan gan = Dcgan.of(100, 1, 28, new Generator(1));
        Tensor x = gan.sample(3, new Generator(2));
        assertEquals(Shape.of(3, 1, 28, 28), x.shape());
        assertTrue(x.abs().max(new int[0], false).item() <= 1.0, "tanh output");
        assertEquals(Shape.of(3, 1), gan.discriminate(Variable.constant(x)).shape());
        assertEquals(gan.parameterCount(), Dcgan.parameterCount(gan.description()));
        assertEquals("dcgan", gan.description().get("model"));
        assertTrue(gan.namedBuffers().containsKey("generator.1.running_mean"), gan.namedBuffers().keySet().toString());
    }

    @Test
    void packedDiscriminator_judgesConsecutiveSamplesJoinedAlongTheChannels() {
        Gan gan = Dcgan.of(4, 1, 8, 2, new Generator(1));
        assertEquals("2", gan.description().get("pack"));
        assertEquals(gan.parameterCount(), Dcgan.parameterCount(gan.description()));
        assertEquals(Shape.of(64, 2, 4, 4), gan.discriminator().namedParameters().get("0.weight").value().shape());
        Tensor x = gan.sample(6, new Generator(2));
        assertEquals(Shape.of(3, 1), gan.discriminate(Variable.constant(x)).shape());
        Gan again = Dcgan.fromMetadata(gan.description());
        assertEquals(gan.parameterCount(), again.parameterCount());
        assertEquals(null, Dcgan.of(4, 1, 8, new Generator(1)).description().get("pack"), "unpacked: metadata as before");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> gan.discriminate(Variable.constant(gan.sample(5, new Generator(2)))));
        assertTrue(e.getMessage().contains("cannot be packed 2 at a time"), e.getMessage());
    }

    @Test
    void draw_leavesTheRunningStatisticsAlone() {
        Gan gan = Dcgan.of(4, 1, 8, new Generator(1));
        Tensor before = gan.namedBuffers().get("generator.5.running_var").copy();
        gan.draw(6, new Generator(3));
        assertArrayEquals(before.toFloatArray(), gan.namedBuffers().get("generator.5.running_var").toFloatArray());
        assertTrue(gan.generator().isTraining(), "back in training mode");
        gan.sample(6, new Generator(3));
        assertTrue(!java.util.Arrays.equals(before.toFloatArray(),
                gan.namedBuffers().get("generator.5.running_var").toFloatArray()), "a training forward moves them");
    }

    private record Parts(Gan gan, TrainLoop loop) {
        static Parts fresh(Path checkpoint) {
            Generator g = new Generator(3);
            Gan gan = Dcgan.of(4, 1, 8, g);
            GanTrainer trainer = new GanTrainer(gan, 2e-4, 0.5, new GanTrainer.Options(1, Gan.GeneratorLoss.NON_SATURATING,
                    1.0), g);
            TrainLoop.Options o = TrainLoop.Options.epochs(2);
            if (checkpoint != null) {
                o = o.withCheckpoint(checkpoint, 2).withMetadata(gan.description());
            }
            return new Parts(gan, new TrainLoop(GanTask.onImages(gan, trainer, IMAGES, 8), g, o));
        }
    }

    @Test
    void resumedRun_endsWithTheSameParametersAndRunningStatistics() throws IOException {
        Parts whole = Parts.fresh(null);
        whole.loop().run(new TrainListener() { });
        Path file = tmp.resolve("checkpoint.safetensors");
        Parts first = Parts.fresh(file);
        assertThrows(TrainingStopped.class, () -> first.loop().run(new TrainListener() {
            @Override
            public void stepDone(StepContext context, StepResult result, double examplesPerSecond) {
                if (context.step() == 3) {
                    first.loop().requestStop();
                }
            }
        }));
        Parts second = Parts.fresh(file);
        second.loop().resume(file, new TrainListener() { });
        whole.gan().stateDict().forEach((name, t) -> assertArrayEquals(t.toFloatArray(),
                second.gan().stateDict().get(name).toFloatArray(), name));

        Path model = tmp.resolve("gan.safetensors");
        Checkpoint.save(model, second.gan(), null, second.gan().description());
        Module loaded = ModelRegistry.standard().load(model);
        assertTrue(loaded instanceof Gan);
        second.gan().stateDict().forEach((name, t) -> assertArrayEquals(t.toFloatArray(),
                loaded.stateDict().get(name).toFloatArray(), name));
    }
}
