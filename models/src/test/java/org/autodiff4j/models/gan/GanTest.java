package org.autodiff4j.models.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.autodiff4j.autograd.GradCheck;
import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Elementwise;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Shape;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class GanTest {

    @Test
    void mlpWithAGeneratorAverage_roundTripsThroughTheRegistry(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws java.io.IOException {
        GanConfig config = new GanConfig(3, List.of(8), List.of(8), 4, 0.2, true, 1, false);
        Gan gan = Gan.mlp(config, 0.5, new Generator(1));
        assertEquals(config.parameterCount(true), gan.parameterCount());
        assertEquals(config.parameterCount(), gan.trainedParameterCount());
        GanTrainer trainer = new GanTrainer(gan, 1e-2, 0.5, new GanTrainer.Options(1, Gan.GeneratorLoss.NON_SATURATING,
                1.0), new Generator(2));
        trainer.step(List.of(Tensor.uniform(new Generator(3), -1, 1, DType.FLOAT32, 6, 4)));
        java.nio.file.Path file = tmp.resolve("gan.safetensors");
        org.autodiff4j.nn.Checkpoint.save(file, gan, null, gan.description());
        Gan loaded = (Gan) org.autodiff4j.models.ModelRegistry.standard().load(file);
        assertEquals(gan.description(), loaded.description());
        Tensor z = gan.noise(4, new Generator(4));
        assertArrayEquals(gan.draw(z).toFloatArray(), loaded.draw(z).toFloatArray());
        assertTrue(!java.util.Arrays.equals(gan.draw(z).toFloatArray(), gan.sample(z).toFloatArray()),
                "draw comes from the average, which lags G");
    }
    private static final GanConfig TOY = new GanConfig(4, List.of(32, 32), List.of(32, 32), 2, 0.2, false, 1);

    private static Map<String, Tensor> values(Map<String, Variable> params) {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        params.forEach((k, p) -> copy.put(k, p.value().copy()));
        return copy;
    }

    private static void assertUnchanged(Map<String, Tensor> before, Map<String, Variable> params) {
        params.forEach((k, p) -> assertArrayEquals(before.get(k).toFloatArray(), p.value().toFloatArray(), k));
    }

    @Test
    void stepScores_areProbabilitiesForCrossEntropy_andRawCriticScoresForWasserstein() {
        for (Gan.GeneratorLoss loss : List.of(Gan.GeneratorLoss.NON_SATURATING, Gan.GeneratorLoss.WASSERSTEIN)) {
            Generator g = new Generator(1);
            Gan gan = Gan.mlp(TOY, g);
            Tensor real = MixtureOfGaussians.ring().sample(16, g).mul(40.0); // far out, so a critic's scores leave [0, 1]
            Tensor logits = gan.discriminate(Variable.constant(real)).value();
            double expected = (loss == Gan.GeneratorLoss.WASSERSTEIN ? logits : logits.sigmoid()).mean().item();
            GanTrainer trainer = new GanTrainer(gan, 1e-2, 0.5, new GanTrainer.Options(1, loss, 1.0), g);
            GanTrainer.Step step = trainer.step(List.of(real));
            assertEquals(expected, step.realScore(), 1e-6, loss + ": mean D(x) before the update");
            if (loss == Gan.GeneratorLoss.NON_SATURATING) {
                assertTrue(step.fakeScore() > 0 && step.fakeScore() < 1, "a probability: " + step.fakeScore());
            }
        }
        Tensor far = MixtureOfGaussians.ring().sample(16, new Generator(1)).mul(40.0);
        Tensor scores = Gan.mlp(TOY, new Generator(1)).discriminate(Variable.constant(far)).value();
        assertTrue(scores.abs().max(new int[0], false).item() > 1, "the critic case is not inside [0, 1] by chance");
    }

    @Test
    void discriminatorStep_leavesGeneratorAndItsGradientsUntouched_andViceVersa() {
        Generator g = new Generator(1);
        Gan gan = Gan.mlp(TOY, g);
        GanTrainer trainer = new GanTrainer(gan, 1e-2, 0.5, new GanTrainer.Options(1, Gan.GeneratorLoss.NON_SATURATING, 1.0), g);
        Tensor real = MixtureOfGaussians.ring().sample(16, g);

        // a discriminator update alone, as the trainer does it: fakes carry no graph into G
        Map<String, Tensor> genBefore = values(gan.generator().namedParameters());
        Map<String, Tensor> disBefore = values(gan.discriminator().namedParameters());
        trainer.discriminatorOptimizer().zeroGrad();
        Variable dLoss = gan.discriminatorLoss(Variable.constant(real), Variable.constant(gan.sample(16, g)), 1.0);
        dLoss.backward();
        gan.generator().parameters().forEach(p -> assertNull(p.grad(), "generator gradient after D's backward"));
        trainer.discriminatorOptimizer().step();
        assertUnchanged(genBefore, gan.generator().namedParameters());
        gan.discriminator().namedParameters().forEach((k, p) ->
                assertTrue(!java.util.Arrays.equals(disBefore.get(k).toFloatArray(), p.value().toFloatArray()), k));

        // a full round: the generator step must not touch D's parameters or leave gradients on them
        gan.zeroGrad();
        GanTrainer.Step s = trainer.step(List.of(real));
        assertTrue(Double.isFinite(s.generatorLoss()));
        Map<String, Tensor> disAfterRound = values(gan.discriminator().namedParameters());
        trainer.generatorOptimizer().zeroGrad();
        Variable fakeLogits = gan.discriminate(gan.generate(Variable.constant(gan.noise(16, g))));
        gan.discriminator().parameters().forEach(p -> p.requiresGrad(false));
        gan.generatorLoss(fakeLogits, Gan.GeneratorLoss.NON_SATURATING);
        gan.discriminator().parameters().forEach(p -> p.requiresGrad(true));
        assertUnchanged(disAfterRound, gan.discriminator().namedParameters());
        gan.discriminator().parameters().forEach(p -> assertTrue(p.requiresGrad(), "D is unfrozen after the step"));
    }

    @Test
    void generatorStep_givesNoGradientToTheDiscriminator() {
        Generator g = new Generator(2);
        Gan gan = Gan.mlp(TOY, g);
        GanTrainer trainer = new GanTrainer(gan, 1e-2, 0.5, new GanTrainer.Options(2, Gan.GeneratorLoss.MINIMAX, 0.9), g);
        MixtureOfGaussians ring = MixtureOfGaussians.ring();
        trainer.step(List.of(ring.sample(8, g), ring.sample(8, g)));
        // after the round the last backward was the generator's: D's gradients are from its own step only
        Map<String, Tensor> disGrads = new LinkedHashMap<>();
        gan.discriminator().namedParameters().forEach((k, p) -> disGrads.put(k, p.grad().copy()));
        Variable loss = gan.generatorLoss(gan.discriminate(gan.generate(Variable.constant(gan.noise(8, g)))),
                Gan.GeneratorLoss.MINIMAX);
        gan.discriminator().parameters().forEach(p -> p.requiresGrad(false));
        try {
            gan.generator().parameters().forEach(Variable::zeroGrad);
            Variable again = gan.generatorLoss(gan.discriminate(gan.generate(Variable.constant(gan.noise(8, g)))),
                    Gan.GeneratorLoss.MINIMAX);
            again.backward();
        } finally {
            gan.discriminator().parameters().forEach(p -> p.requiresGrad(true));
        }
        gan.discriminator().namedParameters().forEach((k, p) ->
                assertArrayEquals(disGrads.get(k).toFloatArray(), p.grad().toFloatArray(), k));
        gan.generator().parameters().forEach(p -> assertTrue(p.grad() != null));
        assertTrue(Double.isFinite(loss.item()));
    }

    /** With the optimal D* = p / (p + q), V(G, D*) = -log 4 + 2 JSD(p || q) (Goodfellow et al., theorem 1). */
    @Test
    void optimalDiscriminator_valueIsMinusLog4PlusTwoJsd() {
        int bins = 2000;
        double[] x = new double[bins];
        for (int i = 0; i < bins; i++) {
            x[i] = -6 + 12.0 * (i + 0.5) / bins;
        }
        Tensor grid = Tensor.of(x, bins);
        Tensor p = density(grid, 0.0, 1.0).add(density(grid, 2.5, 0.5)).mul(0.5);
        Tensor q = density(grid, 1.0, 1.5);
        p = p.div(p.sum());
        q = q.div(q.sum());
        Tensor dStar = p.div(p.add(q));
        double value = p.mul(dStar.log()).sum().item() + q.mul(dStar.map(Elementwise.unary(d -> Math.log(1 - d)))).sum().item();
        Tensor m = p.add(q).mul(0.5);
        double jsd = 0.5 * p.mul(p.div(m).log()).sum().item() + 0.5 * q.mul(q.div(m).log()).sum().item();
        assertEquals(-Math.log(4) + 2 * jsd, value, 1e-12);
        assertTrue(jsd > 0.01, "the two densities differ: JSD " + jsd);
        // and D* is optimal: any other D gives a lower value
        Tensor other = dStar.map(Elementwise.unary(d -> Math.min(0.999, d * 1.05)));
        double worse = p.mul(other.log()).sum().item() + q.mul(other.map(Elementwise.unary(d -> Math.log(1 - d)))).sum().item();
        assertTrue(worse < value);
    }

    private static Tensor density(Tensor x, double mean, double std) {
        return x.map(Elementwise.unary(v -> Math.exp(-0.5 * (v - mean) * (v - mean) / (std * std)) / (std * Math.sqrt(2 * Math.PI))));
    }

    @Test
    void generatorLosses_haveTheGradientsOfTheirFormulas() {
        Gan gan = Gan.mlp(TOY, new Generator(3));
        Tensor logits = Tensor.of(new double[] {-4, -1, 0, 0.5, 3}, 5, 1);
        for (Gan.GeneratorLoss kind : Gan.GeneratorLoss.values()) {
            Variable l = Variable.parameter(logits);
            gan.generatorLoss(l, kind).backward();
            for (int i = 0; i < 5; i++) {
                double s = 1 / (1 + Math.exp(-logits.getFlat(i)));
                // d/dl mean(-log sigmoid(l)) = (s - 1) / n ; d/dl mean(log(1 - sigmoid(l))) = -s / n ; d/dl -mean(l) = -1 / n
                double expected = switch (kind) {
                    case NON_SATURATING -> (s - 1) / 5;
                    case MINIMAX -> -s / 5;
                    case WASSERSTEIN -> -1.0 / 5;
                };
                assertEquals(expected, l.grad().getFlat(i), 1e-12, kind + " at logit " + logits.getFlat(i));
            }
            GradCheck.assertGradients(v -> gan.generatorLoss(v[0], kind), new Generator(4), 1e-6, logits);
        }
        // early in training D rejects fakes (logit -4): the minimax gradient nearly vanishes, the other does not
        Variable rejected = Variable.parameter(Tensor.of(new double[] {-8}, 1, 1));
        gan.generatorLoss(rejected, Gan.GeneratorLoss.MINIMAX).backward();
        Variable rejected2 = Variable.parameter(Tensor.of(new double[] {-8}, 1, 1));
        gan.generatorLoss(rejected2, Gan.GeneratorLoss.NON_SATURATING).backward();
        assertTrue(Math.abs(rejected.grad().item()) < 1e-3 && Math.abs(rejected2.grad().item()) > 0.99);
    }

    @Test
    void shortTraining_staysFiniteAndMovesTheDiscriminatorsVerdict() {
        Generator g = new Generator(5);
        Gan gan = Gan.mlp(TOY, g);
        MixtureOfGaussians ring = MixtureOfGaussians.ring();
        GanTrainer trainer = new GanTrainer(gan, 1e-3, 0.5, new GanTrainer.Options(1, Gan.GeneratorLoss.NON_SATURATING, 1.0), g);
        // D alone first: it learns to reject the untrained generator, D(G(z)) falls
        GanTrainer dOnly = new GanTrainer(gan, 1e-3, 0.5, new GanTrainer.Options(1, Gan.GeneratorLoss.NON_SATURATING, 1.0), g);
        double fakeBefore = fakeScore(gan, g);
        for (int i = 0; i < 200; i++) { // the radius-1 ring lies nearer the untrained G's outputs than radius 2 did
            dOnly.discriminatorOptimizer().zeroGrad();
            gan.discriminatorLoss(Variable.constant(ring.sample(64, g)), Variable.constant(gan.sample(64, g)), 1.0).backward();
            dOnly.discriminatorOptimizer().step();
        }
        double fakeRejected = fakeScore(gan, g);
        assertTrue(fakeRejected < fakeBefore - 0.2, "D learns to reject: " + fakeBefore + " -> " + fakeRejected);
        // then the game: G pulls D(G(z)) back up, and nothing becomes NaN
        for (int i = 0; i < 400; i++) {
            GanTrainer.Step s = trainer.step(List.of(ring.sample(64, g)));
            assertTrue(Double.isFinite(s.discriminatorLoss()) && Double.isFinite(s.generatorLoss()), "step " + i);
        }
        double fakeAfter = fakeScore(gan, g);
        assertTrue(fakeAfter > fakeRejected + 0.1, "G fools D more: " + fakeRejected + " -> " + fakeAfter);
        double meanRadius = gan.sample(500, g).square().sum(1, false).sqrt().mean().item();
        assertEquals(1.0, meanRadius, 0.25, "samples move to the ring");
    }

    private static double fakeScore(Gan gan, Generator g) {
        return gan.discriminate(Variable.constant(gan.sample(256, g))).value().sigmoid().mean().item();
    }

    @Test
    void instanceNoise_annealsLinearlyAndKeepsTrainingFinite() {
        Generator g = new Generator(10);
        Gan gan = Gan.mlp(TOY, g);
        GanTrainer t = new GanTrainer(gan, 1e-3, 0.5, new GanTrainer.Options(1, Gan.GeneratorLoss.NON_SATURATING, 1.0,
                0.4, 10), g);
        MixtureOfGaussians ring = MixtureOfGaussians.ring();
        assertEquals(0.4, t.noiseStd(), 1e-15);
        for (int i = 0; i < 5; i++) {
            assertTrue(Double.isFinite(t.step(List.of(ring.sample(32, g))).generatorLoss()));
        }
        assertEquals(0.2, t.noiseStd(), 1e-15);
        for (int i = 0; i < 10; i++) {
            t.step(List.of(ring.sample(32, g)));
        }
        assertEquals(0.0, t.noiseStd());
        assertEquals(0.3, new GanTrainer(gan, 1e-3, 0.5, new GanTrainer.Options(1, Gan.GeneratorLoss.MINIMAX, 1.0, 0.3, 0),
                g).noiseStd());
        assertThrows(IllegalArgumentException.class, () -> new GanTrainer.Options(1, Gan.GeneratorLoss.MINIMAX, 1.0, -1, 0));
    }

    @Test
    void packing_judgesSeveralSamplesAtOnce() {
        GanConfig packed = new GanConfig(4, List.of(8), List.of(8), 2, 0.2, false, 3);
        Gan gan = Gan.mlp(packed, new Generator(6));
        assertEquals(Shape.of(8, 6), gan.namedParameters().get("discriminator.0.weight").shape());
        assertEquals(Shape.of(2, 1), gan.discriminate(Variable.constant(Tensor.zeros(DType.FLOAT32, 6, 2))).shape());
        assertThrows(IllegalArgumentException.class,
                () -> gan.discriminate(Variable.constant(Tensor.zeros(DType.FLOAT32, 5, 2))));
    }

    @Test
    void interpolation_linearAndSphericalEndAtTheEndpoints() {
        Generator g = new Generator(7);
        Gan gan = Gan.mlp(GanConfig.mnist(), g);
        Tensor z0 = gan.noise(1, g);
        Tensor z1 = gan.noise(1, g);
        for (boolean spherical : new boolean[] {false, true}) {
            Tensor path = gan.interpolate(z0, z1, 6, spherical);
            assertEquals(Shape.of(6, 784), path.shape());
            assertTrue(path.sliceRows(0, 1).allClose(gan.sample(z0), 1e-5, 1e-6));
            assertTrue(path.sliceRows(5, 6).allClose(gan.sample(z1), 1e-4, 1e-5));
        }
        assertEquals(GanConfig.mnist(), GanConfig.fromMetadata(GanConfig.mnist().toMetadata()));
    }

    @Test
    void coverage_countsModesAndHighQualitySamples() {
        MixtureOfGaussians ring = MixtureOfGaussians.ring();
        MixtureOfGaussians.Coverage real = ring.coverage(ring.sample(2500, new Generator(8)));
        assertEquals(8, real.modesCovered());
        assertTrue(real.highQuality() > 0.98, "3 std holds ~98.9% of a 2-D Gaussian: " + real.highQuality());
        assertTrue(real.reverseKl() < 0.01, "the mixture's own samples spread evenly: " + real.reverseKl());
        // PacGAN's ring: radius 1, std 0.01; high quality within 3 std of the nearest centre
        Tensor collapsed = Tensor.of(new float[] {1, 0, 1.01f, 0, 0, 0}, 3, 2);
        MixtureOfGaussians.Coverage c = ring.coverage(collapsed);
        assertEquals(1, c.modesCovered());
        assertEquals(2.0 / 3, c.highQuality(), 1e-12);
        assertEquals(Math.log(8), c.reverseKl(), 1e-12, "every sample's nearest mode is the first: all mass on one of 8");
        assertEquals(25, MixtureOfGaussians.grid().coverage(MixtureOfGaussians.grid().sample(2500, new Generator(9))).modesCovered());
    }

    @Test
    void draw_manyCodes_goesThroughTheGeneratorInBlocks_asOneBatchInEvaluationMode() {
        Gan gan = Dcgan.of(8, 1, 8, new Generator(5));
        int n = 2 * Gan.DRAW_BLOCK + 1;
        Tensor z = gan.noise(n, new Generator(6));
        Tensor drawn = gan.draw(z);
        assertTrue(gan.generator().isTraining(), "draw leaves G in its mode");
        gan.generator().eval();
        Tensor oneBatch;
        try (org.autodiff4j.autograd.NoGrad ignored = org.autodiff4j.autograd.NoGrad.enter()) {
            oneBatch = gan.generator().forward(Variable.constant(z)).value();
        }
        assertEquals(oneBatch.shape(), drawn.shape());
        for (int i = 0; i < n * 64; i += 7) {
            assertEquals(oneBatch.getFlat(i), drawn.getFlat(i), 1e-6, "value " + i);
        }
    }
}
