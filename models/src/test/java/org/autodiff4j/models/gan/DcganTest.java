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
import org.autodiff4j.nn.Layer;
import org.autodiff4j.nn.Module;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Shape;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DCGAN's networks, its generator average, its resume with batch norm's running statistics, and its registry entry. */
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

    @Test
    void generatorAverage_followsItsRecurrenceAndIsWhatDrawUses() {
        double decay = 0.75;
        Generator g = new Generator(3);
        Gan gan = Dcgan.of(4, 1, 8, 1, decay, g);
        Gan plain = Dcgan.of(4, 1, 8, new Generator(3));
        plain.stateDict().forEach((name, t) -> assertArrayEquals(t.toFloatArray(),
                gan.stateDict().get(name).toFloatArray(), "the average takes nothing from g: " + name));
        assertEquals("0.75", gan.description().get(Gan.AVERAGE_KEY));
        assertEquals(gan.parameterCount(), Dcgan.parameterCount(gan.description()));
        assertEquals(plain.parameterCount(), gan.trainedParameterCount());
        Layer average = gan.generatorAverage().orElseThrow();

        // expected: a_0 = G's initial weights and buffers, a_t = decay a_(t-1) + (1 - decay) w_t, in float64
        java.util.Map<String, Tensor> expected = new java.util.LinkedHashMap<>();
        gan.generator().stateDict().forEach((name, t) -> expected.put(name, t.to(DType.FLOAT64).copy()));
        GanTrainer trainer = new GanTrainer(gan, 1e-2, 0.5, new GanTrainer.Options(1, Gan.GeneratorLoss.NON_SATURATING,
                1.0), g);
        for (int step = 0; step < 3; step++) {
            trainer.step(java.util.List.of(IMAGES.sliceRows(8 * step, 8 * step + 8)));
            gan.generator().stateDict().forEach((name, w) -> expected.put(name,
                    expected.get(name).mul(decay).add(w.to(DType.FLOAT64).mul(1 - decay))));
        }
        expected.forEach((name, t) -> {
            assertArrayEquals(t.toDoubleArray(), average.stateDict().get(name).to(DType.FLOAT64).toDoubleArray(), 1e-6, name);
            assertTrue(!java.util.Arrays.equals(t.to(DType.FLOAT32).toFloatArray(),
                    gan.generator().stateDict().get(name).toFloatArray()), "the average lags G: " + name);
        });
        assertTrue(average.parameters().stream().noneMatch(Variable::requiresGrad), "the average is not trained");

        Tensor z = gan.noise(5, new Generator(4));
        average.eval();
        Tensor fromAverage = average.forward(Variable.constant(z)).value();
        average.train();
        assertArrayEquals(fromAverage.toFloatArray(), gan.draw(z).toFloatArray(), "draw uses the average");
        assertTrue(!java.util.Arrays.equals(fromAverage.toFloatArray(), plainDraw(gan, z).toFloatArray()));
    }

    @Test
    void discriminatorNorm_layerOrNone_keepsR1PerSample_batchNormDoesNot() {
        Tensor real = IMAGES.sliceRows(0, 6);
        for (Dcgan.Norm norm : Dcgan.Norm.values()) {
            Gan gan = Dcgan.of(4, 1, 8, 1, 0.0, norm, new Generator(1));
            double whole = gan.r1Penalty(real).value().item();
            double perSample = 0;
            for (int i = 0; i < 6; i++) {
                perSample += gan.r1Penalty(real.sliceRows(i, i + 1)).value().item() / 6;
            }
            if (norm == Dcgan.Norm.BATCH) {
                assertTrue(Math.abs(whole - perSample) > 1e-3 * perSample,
                        "batch norm mixes the batch: " + whole + " vs " + perSample);
            } else {
                assertEquals(perSample, whole, 1e-5 * perSample, norm + ": the batch's penalty is its samples' mean");
            }
        }
    }

    @Test
    void gradientPenalty_onImages_mixesEachPairWithItsOwnWeight() {
        // WGAN-GP on [n, 1, H, W]: x^ = e x + (1 - e) x~ with one e per sample, then E[(|grad D(x^)| - 1)^2]
        Gan gan = Dcgan.of(4, 1, 8, 1, 0.0, Dcgan.Norm.LAYER, new Generator(1));
        Tensor real = IMAGES.sliceRows(0, 5);
        Tensor fake = IMAGES.sliceRows(5, 10);
        Variable penalty = gan.gradientPenalty(real, fake, new Generator(7));
        float[] e = Tensor.rand(new Generator(7), DType.FLOAT32, 5, 1).toFloatArray();
        double expected = 0;
        for (int i = 0; i < 5; i++) {
            Tensor mixed = real.sliceRows(i, i + 1).mul(e[i]).add(fake.sliceRows(i, i + 1).mul(1 - e[i]));
            double norm = Math.sqrt(gan.r1Penalty(mixed).value().item());
            expected += (norm - 1) * (norm - 1) / 5;
        }
        assertEquals(expected, penalty.value().item(), 1e-5 * Math.max(1, expected));
        penalty.backward();
        Variable w = gan.discriminator().namedParameters().get("0.weight");
        assertTrue(w.grad() != null && w.grad().abs().max(new int[0], false).item() > 0, "the penalty reaches D");
    }

    @Test
    void discriminatorNorm_isRecordedCountedAndRebuiltFromTheMetadata() throws IOException {
        assertEquals(null, Dcgan.of(4, 1, 8, new Generator(1)).description().get(Dcgan.NORM_KEY), "batch: as before");
        for (Dcgan.Norm norm : java.util.List.of(Dcgan.Norm.LAYER, Dcgan.Norm.NONE)) {
            Gan gan = Dcgan.of(4, 1, 8, 1, 0.5, norm, new Generator(1));
            assertEquals(norm.label(), gan.description().get(Dcgan.NORM_KEY));
            assertEquals(gan.parameterCount(), Dcgan.parameterCount(gan.description()), norm.label());
            assertEquals(norm == Dcgan.Norm.LAYER ? Shape.of(128, 2, 2) : null, java.util.Optional.ofNullable(
                    gan.discriminator().namedParameters().get("3.weight")).map(p -> p.value().shape()).orElse(null));
            Path file = tmp.resolve(norm.label() + ".safetensors");
            Checkpoint.save(file, gan, null, gan.description());
            Module loaded = ModelRegistry.standard().load(file);
            Tensor x = gan.sample(4, new Generator(2));
            assertArrayEquals(gan.discriminate(Variable.constant(x)).value().toFloatArray(),
                    ((Gan) loaded).discriminate(Variable.constant(x)).value().toFloatArray(), norm.label());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dcgan.norm(java.util.Map.of(Dcgan.NORM_KEY, "group")));
        assertTrue(e.getMessage().contains("unknown discriminator norm 'group' (allowed: batch, layer, none)"),
                e.getMessage());
    }

    private static Tensor plainDraw(Gan gan, Tensor z) {
        gan.generator().eval();
        try {
            return gan.sample(z);
        } finally {
            gan.generator().train();
        }
    }

    @Test
    void generatorAverage_badDecay_isRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dcgan.of(4, 1, 8, 1, 1.0, new Generator(1)));
        assertTrue(e.getMessage().contains("decay is 1.0; it must be in (0, 1)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Gan.averageDecay(java.util.Map.of("ema", "fast")));
        assertTrue(e.getMessage().contains("'ema' is 'fast'"), e.getMessage());
        assertEquals(0.0, Gan.averageDecay(java.util.Map.of("model", "dcgan")));
    }

    private record Parts(Gan gan, TrainLoop loop) {
        static Parts fresh(Path checkpoint) {
            return fresh(checkpoint, 0.0);
        }

        static Parts fresh(Path checkpoint, double decay) {
            Generator g = new Generator(3);
            Gan gan = Dcgan.of(4, 1, 8, 1, decay, g);
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
        resumedRunEndsAsTheWholeOne(0.0);
    }

    @Test
    void resumedRun_withAGeneratorAverage_endsWithTheSameAverage() throws IOException {
        resumedRunEndsAsTheWholeOne(0.9);
    }

    private void resumedRunEndsAsTheWholeOne(double decay) throws IOException {
        Parts whole = Parts.fresh(null, decay);
        whole.loop().run(new TrainListener() { });
        assertEquals(decay > 0, whole.gan().stateDict().containsKey("generator_ema.0.weight"));
        Path file = tmp.resolve("checkpoint.safetensors");
        Parts first = Parts.fresh(file, decay);
        assertThrows(TrainingStopped.class, () -> first.loop().run(new TrainListener() {
            @Override
            public void stepDone(StepContext context, StepResult result, double examplesPerSecond) {
                if (context.step() == 3) {
                    first.loop().requestStop();
                }
            }
        }));
        Parts second = Parts.fresh(file, decay);
        second.loop().resume(file, new TrainListener() { });
        whole.gan().stateDict().forEach((name, t) -> assertArrayEquals(t.toFloatArray(),
                second.gan().stateDict().get(name).toFloatArray(), name));

        Path model = tmp.resolve("gan.safetensors");
        Checkpoint.save(model, second.gan(), null, second.gan().description());
        Module loaded = ModelRegistry.standard().load(model);
        assertTrue(loaded instanceof Gan);
        assertEquals(second.gan().description(), ((Gan) loaded).description());
        second.gan().stateDict().forEach((name, t) -> assertArrayEquals(t.toFloatArray(),
                loaded.stateDict().get(name).toFloatArray(), name));
    }
}
