package org.autodiff4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import javax.imageio.ImageIO;

import org.autodiff4j.autograd.Variable;
import org.autodiff4j.models.ModelRegistry;
import org.autodiff4j.models.gan.Gan;
import org.autodiff4j.models.gan.GanTask;
import org.autodiff4j.models.gan.GanTrainer;
import org.autodiff4j.models.train.StepContext;
import org.autodiff4j.models.train.StepResult;
import org.autodiff4j.models.train.TrainListener;
import org.autodiff4j.models.train.TrainLoop;
import org.autodiff4j.models.train.TrainingStopped;
import org.autodiff4j.nn.Checkpoint;
import org.autodiff4j.nn.Layer;
import org.autodiff4j.nn.Linear;
import org.autodiff4j.nn.Module;
import org.autodiff4j.nn.optim.Adam;
import org.autodiff4j.nn.optim.Sgd;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GAN a user writes: two small Modules of their own on [N, 1, 28, 28] images, their own optimisers, the library's
 * trainer and loop; resumed bit for bit, and loaded by {@code sample} and {@code evaluate} through the model registry
 * (this test's {@link TinyImageGan} is listed in META-INF/services, as a user's jar would list it).
 */
class UserGanTest {
    private static final int LATENT = 4;
    private static final Tensor IMAGES = Tensor.uniform(new Generator(5), -1, 1, DType.FLOAT32, 40, 1, 28, 28);

    @TempDir
    Path tmp;

    /** z [n, 4] to a [n, 1, 28, 28] image through one linear layer and tanh. */
    static final class TinyGenerator extends Layer {
        private final Linear fc;

        TinyGenerator(Generator g) {
            fc = registerModule("fc", new Linear(LATENT, 28 * 28, g));
        }

        @Override
        public Variable forward(Variable z) {
            return fc.forward(z).tanh().reshape(z.shape().dim(0), 1, 28, 28);
        }
    }

    /** A [n, 1, 28, 28] image to one logit through a hidden layer of 16. */
    static final class TinyDiscriminator extends Layer {
        private final Linear hidden;
        private final Linear out;

        TinyDiscriminator(Generator g) {
            hidden = registerModule("hidden", new Linear(28 * 28, 16, g));
            out = registerModule("out", new Linear(16, 1, g));
        }

        @Override
        public Variable forward(Variable x) {
            return out.forward(hidden.forward(x.reshape(x.shape().dim(0), 28 * 28)).leakyRelu(0.2));
        }
    }

    /** The registry entry: a checkpoint whose {@code model} is {@code tiny-image-gan} holds this GAN. */
    public static final class TinyImageGan implements ModelRegistry.Provider {
        static final Map<String, String> DESCRIPTION = Map.of(Checkpoint.MODEL_KEY, "tiny-image-gan");

        static Gan build(Generator g) {
            return new Gan(new TinyGenerator(g), new TinyDiscriminator(g), LATENT, 1, DESCRIPTION);
        }

        @Override
        public Map<String, ModelRegistry.Loader> loaders() {
            return Map.of("tiny-image-gan", meta -> build(new Generator(0)));
        }
    }

    private record Parts(Gan gan, TrainLoop loop) {
        static Parts fresh(Path checkpoint) {
            Generator g = new Generator(3);
            Gan gan = TinyImageGan.build(g);
            Adam optimizerG = new Adam(gan.generator().namedParameters(), 2e-3, 0.5, 0.999, 1e-8, 0);
            Sgd optimizerD = new Sgd(gan.discriminator().namedParameters(), 1e-2, 0.9, false, 0);
            GanTrainer trainer = new GanTrainer(gan, optimizerG, optimizerD,
                    new GanTrainer.Options(1, Gan.GeneratorLoss.NON_SATURATING, 1.0), g);
            TrainLoop.Options o = TrainLoop.Options.epochs(2);
            if (checkpoint != null) {
                o = o.withCheckpoint(checkpoint, 3).withMetadata(gan.description());
            }
            return new Parts(gan, new TrainLoop(GanTask.onImages(gan, trainer, IMAGES, 8), g, o));
        }
    }

    @Test
    void userGan_trainsResumesBitForBit_andLoadsThroughTheRegistry() throws IOException {
        Parts whole = Parts.fresh(null);
        whole.loop().run(new TrainListener() { });
        Path file = tmp.resolve("checkpoint.safetensors");
        Parts first = Parts.fresh(file);
        assertThrows(TrainingStopped.class, () -> first.loop().run(new TrainListener() {
            @Override
            public void stepDone(StepContext context, StepResult result, double examplesPerSecond) {
                if (context.step() == 4) {
                    first.loop().requestStop();
                }
            }
        }));
        Parts second = Parts.fresh(file);
        second.loop().resume(file, new TrainListener() { });
        whole.gan().namedParameters().forEach((name, p) -> assertArrayEquals(p.value().toFloatArray(),
                second.gan().namedParameters().get(name).value().toFloatArray(), name));

        Module loaded = ModelRegistry.standard().load(file);
        assertTrue(loaded instanceof Gan, "the service entry rebuilt the GAN");
        second.gan().namedParameters().forEach((name, p) -> assertArrayEquals(p.value().toFloatArray(),
                loaded.namedParameters().get(name).value().toFloatArray(), name));
        assertEquals(java.util.List.of(12, 1, 28, 28), java.util.Arrays.stream(((Gan) loaded).sample(12,
                new Generator(1)).shape().dims()).boxed().toList());

        Path png = tmp.resolve("samples.png");
        Cli.Result s = Cli.run("sample", "--checkpoint", file.toString(), "--count", "12", "--columns", "4",
                "--output", png.toString());
        assertEquals(0, s.status(), s.err());
        assertEquals(4 * 29 * 2 + 2, ImageIO.read(png.toFile()).getWidth());

        Path data = Path.of(System.getProperty("autodiff4j.test.data", "../../shared/data")).toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isDirectory(data.resolve("mnist")), "no shared data at " + data);
        Cli.Result e = Cli.run("evaluate", "--checkpoint", file.toString(), "--data-dir", data.toString(), "--samples", "50");
        assertEquals(0, e.status(), e.err());
        assertTrue(e.out().startsWith("digit classifier (held-out accuracy "), e.out());
    }

    @Test
    void aModelNoEntryLoads_isNamedWithTheKnownOnes() throws IOException {
        Path file = tmp.resolve("other.safetensors");
        Gan gan = new Gan(new TinyGenerator(new Generator(1)), new TinyDiscriminator(new Generator(2)), LATENT, 1,
                Map.of(Checkpoint.MODEL_KEY, "someone-elses-gan"));
        Checkpoint.save(file, gan, null, gan.description());
        IOException e = assertThrows(IOException.class, () -> ModelRegistry.standard().load(file));
        assertEquals(file + ": holds model 'someone-elses-gan', which no registry entry loads (known: vae, gan, dcgan, conv-vae, "
                + "tiny-image-gan)", e.getMessage());
        Cli.Result r = Cli.run("sample", "--checkpoint", file.toString());
        assertEquals(2, r.status());
        assertEquals("sample: " + e.getMessage(), r.err().strip());
    }
}
