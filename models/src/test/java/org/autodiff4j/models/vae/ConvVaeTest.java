package org.autodiff4j.models.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.autodiff4j.models.ModelRegistry;
import org.autodiff4j.models.data.Dataset;
import org.autodiff4j.models.train.StepContext;
import org.autodiff4j.models.train.StepResult;
import org.autodiff4j.models.train.TrainListener;
import org.autodiff4j.models.train.TrainLoop;
import org.autodiff4j.models.train.TrainingStopped;
import org.autodiff4j.nn.Checkpoint;
import org.autodiff4j.nn.Module;
import org.autodiff4j.nn.optim.Adam;
import org.autodiff4j.nn.optim.LearningRateSchedule;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Shape;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The convolutional VAE's networks, its training and exact resume, and its registry entry. */
class ConvVaeTest {
    @TempDir
    Path tmp;

    private static Dataset images(int n, long seed) {
        Tensor x = Tensor.uniform(new Generator(seed), 0, 1, DType.FLOAT32, n, 64).bernoulli(new Generator(seed + 1));
        return new Dataset("random", x, null, 8, 8);
    }

    @Test
    void networks_mapRowsToThePosteriorAndCodesToLogits() {
        Vae vae = ConvVae.of(5, 1, 28, VaeConfig.Likelihood.BERNOULLI, new Generator(1));
        Tensor x = images(3, 2).images();
        Tensor rows = Tensor.uniform(new Generator(3), 0, 1, DType.FLOAT32, 3, 784).bernoulli(new Generator(4));
        assertEquals(Shape.of(3, 5), vae.encodeMean(rows).shape());
        assertEquals(Shape.of(3, 784), vae.sample(3, new Generator(5), false).shape());
        assertEquals(vae.parameterCount(), ConvVae.parameterCount(vae.description()));
        assertEquals("conv-vae", vae.description().get("model"));
        assertTrue(vae.namedParameters().containsKey("encoder.1.weight"), vae.namedParameters().keySet().toString());
        assertEquals(Shape.of(32, 1, 4, 4), vae.namedParameters().get("encoder.1.weight").shape(), "PyTorch's layout");
        assertEquals(3, x.shape().dim(0));

        Vae gaussian = ConvVae.of(5, 1, 8, VaeConfig.Likelihood.GAUSSIAN, new Generator(1));
        assertEquals(gaussian.parameterCount(), ConvVae.parameterCount(gaussian.description()));
        assertTrue(Double.isFinite(gaussian.loss(images(4, 6).images(), new Generator(7)).negElbo()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvVae.of(5, 1, 30, VaeConfig.Likelihood.BERNOULLI, new Generator(1)));
        assertEquals("ConvVae: latent 5, channels 1 and hidden [] must be positive, size 30 a multiple of 4", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ConvVae.of(5, List.of(16, 0), 1, 28, VaeConfig.Likelihood.BERNOULLI, new Generator(1)));
    }

    @Test
    void hiddenLayers_sitBetweenTheConvolutionsAndTheLatentHeads_andSurviveACheckpoint() throws IOException {
        Vae vae = ConvVae.of(5, List.of(40, 24), 1, 8, VaeConfig.Likelihood.BERNOULLI, new Generator(1));
        assertEquals("40,24", vae.description().get("hidden"));
        assertEquals(vae.parameterCount(), ConvVae.parameterCount(vae.description()));
        assertEquals(Shape.of(40, 64 * 2 * 2), vae.namedParameters().get("encoder.6.weight").shape(),
                vae.namedParameters().keySet().toString());
        assertEquals(Shape.of(24, 40), vae.namedParameters().get("encoder.8.weight").shape());
        assertEquals(Shape.of(24, 5), vae.namedParameters().get("decoder.0.weight").shape());
        assertEquals(Shape.of(64 * 2 * 2, 40), vae.namedParameters().get("decoder.4.weight").shape());
        Tensor rows = images(3, 2).images();
        assertEquals(Shape.of(3, 5), vae.encodeMean(rows).shape());
        assertTrue(Double.isFinite(vae.loss(rows, new Generator(7)).negElbo()));
        assertTrue(!ConvVae.of(5, 1, 8, VaeConfig.Likelihood.BERNOULLI, new Generator(1)).description()
                .containsKey("hidden"), "checkpoints without hidden layers keep their metadata");

        Path model = tmp.resolve("hidden.safetensors");
        Checkpoint.save(model, vae, null, vae.description());
        Vae loaded = (Vae) ModelRegistry.standard().load(model);
        Tensor z = Tensor.randn(new Generator(4), DType.FLOAT32, 2, 5);
        assertArrayEquals(vae.decodeMean(z).toFloatArray(), loaded.decodeMean(z).toFloatArray());
    }

    private record Run(Vae vae, TrainLoop loop) {
        static Run fresh(long seed, Path checkpoint) {
            Generator g = new Generator(seed);
            Vae vae = ConvVae.of(3, 1, 8, VaeConfig.Likelihood.BERNOULLI, g);
            Adam adam = new Adam(vae.namedParameters(), 3e-3, 0.9, 0.999, 1e-8, 0.0);
            TrainLoop.Options o = TrainLoop.Options.epochs(3);
            if (checkpoint != null) {
                o = o.withCheckpoint(checkpoint, 2).withMetadata(vae.description());
            }
            VaeTask.Options options = new VaeTask.Options(16, LearningRateSchedule.step(1, 0.5), false, 0, 2);
            return new Run(vae, new TrainLoop(new VaeTask(vae, adam, images(50, 8), images(20, 9), options), g, o));
        }
    }

    @Test
    void training_lowersTheLoss_andAResumedRunEndsWhereAWholeOneDoes() throws IOException {
        Run whole = Run.fresh(11, null);
        var history = whole.loop().run(new TrainListener() { });
        assertTrue(history.get(2).get("train.loss") < history.get(0).get("train.loss"), history.toString());

        Path file = tmp.resolve("checkpoint.safetensors");
        Run first = Run.fresh(11, file);
        AtomicInteger steps = new AtomicInteger();
        assertThrows(TrainingStopped.class, () -> first.loop().run(new TrainListener() {
            @Override
            public void stepDone(StepContext context, StepResult result, double examplesPerSecond) {
                if (steps.incrementAndGet() == 5) {
                    first.loop().requestStop();
                }
            }
        }));
        Run second = Run.fresh(99, file);
        second.loop().resume(file, new TrainListener() { });
        whole.vae().stateDict().forEach((name, t) -> assertArrayEquals(t.toFloatArray(),
                second.vae().stateDict().get(name).toFloatArray(), name));

        Path model = tmp.resolve("vae.safetensors");
        Checkpoint.save(model, second.vae(), null, second.vae().description());
        Module loaded = ModelRegistry.standard().load(model);
        assertTrue(loaded instanceof Vae);
        Tensor z = Tensor.randn(new Generator(4), DType.FLOAT32, 2, 3);
        assertArrayEquals(second.vae().decodeMean(z).toFloatArray(), ((Vae) loaded).decodeMean(z).toFloatArray());
    }
}
