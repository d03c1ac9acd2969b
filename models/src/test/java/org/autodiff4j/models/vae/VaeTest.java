package org.autodiff4j.models.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.autodiff4j.models.SharedData;
import org.autodiff4j.models.data.Dataset;
import org.autodiff4j.models.data.Datasets;
import org.autodiff4j.nn.Checkpoint;
import org.autodiff4j.nn.optim.Adam;
import org.autodiff4j.models.train.EpochRecord;
import org.autodiff4j.models.train.StepContext;
import org.autodiff4j.models.train.StepResult;
import org.autodiff4j.models.train.TrainListener;
import org.autodiff4j.models.train.TrainLoop;
import org.autodiff4j.nn.optim.LearningRateSchedule;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Shape;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaeTest {
    private static final VaeConfig SMALL = new VaeConfig(784, List.of(64), 8, "tanh", VaeConfig.Likelihood.BERNOULLI);
    private static Dataset train;
    private static Dataset test;

    @TempDir
    Path tmp;

    @BeforeAll
    static void data() throws IOException {
        Datasets sets = new Datasets(List.of(SharedData.dir()), Path.of("target/no-cache"), null, Duration.ofSeconds(1));
        train = sets.load("binarized-mnist", "train").head(2000);
        test = sets.load("binarized-mnist", "test");
    }

    private static Vae trained(long seed, int epochs) {
        Generator g = new Generator(seed);
        Vae vae = new Vae(SMALL, g);
        Adam adam = new Adam(vae.parameters(), 3e-3);
        fit(vae, adam, g, train, train.head(256), epochs, 32, false, new TrainListener() { });
        return vae;
    }

    @Test
    void iwaeBound_isTighterWithMoreSamples_andItsOneSampleFormIsTheElbo() {
        Vae vae = trained(3, 2);
        Tensor x = test.images().sliceRows(0, 64);
        double elbo = 0;
        double one = 0;
        double fifty = 0;
        int draws = 20;
        for (int i = 0; i < draws; i++) {
            elbo += vae.loss(x, new Generator(100 + i)).negElbo() / draws;
            one += vae.iwaeLoss(x, 1, new Generator(200 + i)).loss().item() / draws;
            fifty += vae.iwaeLoss(x, 50, new Generator(300 + i)).loss().item() / draws;
        }
        // k = 1: a Monte Carlo estimate of the negative ELBO (whose KL the ELBO takes in closed form)
        assertEquals(elbo, one, 0.02 * elbo, "one sample " + one + " vs ELBO " + elbo);
        assertTrue(fifty < one - 1, "k = 50 tightens the bound: " + fifty + " vs " + one);
        // and it is still an upper bound of -log p(x), above the k = 1000 estimate of VaeEvaluation
        double nll = VaeEvaluation.importanceWeightedNll(vae, x, 1000, new Generator(5));
        assertTrue(fifty > nll, fifty + " vs the k = 1000 estimate " + nll);
    }

    @Test
    void iwaeTraining_improvesTheBoundAndGradientsReachEveryParameter() {
        Generator g = new Generator(4);
        Vae vae = new Vae(SMALL, g);
        Adam adam = new Adam(vae.parameters(), 3e-3);
        Tensor x = train.images().sliceRows(0, 32);
        double first = vae.iwaeLoss(x, 5, new Generator(9)).loss().item();
        for (int step = 0; step < 30; step++) {
            adam.zeroGrad();
            vae.iwaeLoss(x, 5, g).loss().backward();
            if (step == 0) {
                vae.namedParameters().forEach((name, p) -> assertTrue(p.grad() != null
                        && p.grad().firstNonFinite() < 0 && p.grad().abs().sum().item() > 0, name));
            }
            adam.step();
        }
        assertTrue(vae.iwaeLoss(x, 5, new Generator(9)).loss().item() < first - 20, "the bound improves");
    }

    @Test
    void parameters_areNamedAsTheModuleTree() {
        Vae vae = new Vae(VaeConfig.defaults(), new Generator(0));
        assertEquals(List.of("encoder.0.weight", "encoder.0.bias", "mean.weight", "mean.bias", "logvar.weight",
                "logvar.bias", "decoder.0.weight", "decoder.0.bias", "decoder.2.weight", "decoder.2.bias"),
                List.copyOf(vae.namedParameters().keySet()));
        assertEquals(Shape.of(500, 784), vae.namedParameters().get("encoder.0.weight").shape());
        assertEquals(784 * 500 + 500 + 2 * (500 * 20 + 20) + 20 * 500 + 500 + 500 * 784 + 784, vae.parameterCount());
    }

    @Test
    void training_lowersTheLossWellBelowItsStart() {
        Generator g = new Generator(1);
        Vae vae = new Vae(SMALL, g);
        Tensor probe = test.images().sliceRows(0, 500);
        double before = VaeEvaluation.elbo(vae, probe, 100, new Generator(5)).loss();
        Adam adam = new Adam(vae.parameters(), 3e-3);
        List<EpochRecord> h = fit(vae, adam, g, train, train.head(256), 5, 32, false, new TrainListener() { });
        double after = VaeEvaluation.elbo(vae, probe, 100, new Generator(5)).loss();
        assertEquals(5, h.size());
        assertTrue(before > 500 && after < 0.4 * before, "loss from " + before + " to " + after);
        assertTrue(after < 215, "after 315 steps a small VAE is below 215 nats, got " + after);
    }

    @Test
    void importanceWeightedBound_isAboveTheElboAndTightensWithK() {
        Vae vae = trained(2, 3);
        Tensor x = test.images().indexRows(java.util.stream.IntStream.range(0, 200).map(i -> i * 50).toArray());
        double negElbo = VaeEvaluation.elbo(vae, x, 100, new Generator(7)).loss();
        double nll1 = VaeEvaluation.importanceWeightedNll(vae, x, 1, new Generator(8));
        double nll10 = VaeEvaluation.importanceWeightedNll(vae, x, 10, new Generator(9));
        double nll100 = VaeEvaluation.importanceWeightedNll(vae, x, 100, new Generator(10));
        assertEquals(negElbo, nll1, 1.5, "k = 1 estimates the ELBO");
        assertTrue(nll10 < nll1 - 0.5 && nll100 < nll10 - 0.2,
                "NLL bound tightens with k: " + nll1 + ", " + nll10 + ", " + nll100);
    }

    @Test
    void sameSeed_givesBitIdenticalParameters() {
        Vae a = trained(3, 1);
        Vae b = trained(3, 1);
        a.namedParameters().forEach((k, p) -> assertArrayEquals(p.value().toFloatArray(),
                b.namedParameters().get(k).value().toFloatArray(), k));
    }

    @Test
    void samplingReconstructionInterpolationManifold_haveTheRightShapes() {
        Generator g = new Generator(4);
        Vae vae = new Vae(new VaeConfig(784, List.of(32), 2, "tanh", VaeConfig.Likelihood.BERNOULLI), g);
        Tensor s = vae.sample(5, g, true);
        assertEquals(Shape.of(5, 784), s.shape());
        for (double v : s.toDoubleArray()) {
            assertTrue(v == 0 || v == 1);
        }
        Tensor means = vae.sample(5, g, false);
        assertTrue(means.max(1, false).max(0, false).item() < 1 && means.neg().max(1, false).max(0, false).item() < 0);
        assertEquals(Shape.of(3, 784), vae.reconstruct(test.images().sliceRows(0, 3)).shape());
        assertEquals(Shape.of(7, 784), vae.interpolate(test.images().sliceRows(0, 1), test.images().sliceRows(1, 2), 7).shape());
        assertEquals(Shape.of(100, 784), VaeEvaluation.manifold(vae, 10).shape());
        assertThrows(IllegalStateException.class, () -> VaeEvaluation.manifold(new Vae(SMALL, g), 3));
    }

    @Test
    void interpolation_endsAtTheReconstructions() {
        Vae vae = trained(5, 1);
        Tensor a = test.images().sliceRows(0, 1);
        Tensor b = test.images().sliceRows(9000, 9001);
        Tensor path = vae.interpolate(a, b, 5);
        assertTrue(path.sliceRows(0, 1).allClose(vae.reconstruct(a), 1e-5, 1e-6));
        assertTrue(path.sliceRows(4, 5).allClose(vae.reconstruct(b), 1e-5, 1e-6));
    }

    @Test
    void gaussianLikelihood_trainsOnGrayscaleImages() throws IOException {
        Datasets sets = new Datasets(List.of(SharedData.dir()), Path.of("target/no-cache"), null, Duration.ofSeconds(1));
        Dataset mnist = sets.load("mnist", "test");
        Generator g = new Generator(6);
        Vae vae = new Vae(new VaeConfig(784, List.of(64), 8, "tanh", VaeConfig.Likelihood.GAUSSIAN), g);
        Tensor probe = mnist.images().sliceRows(8000, 8500);
        double before = VaeEvaluation.elbo(vae, probe, 100, new Generator(1)).loss();
        fit(vae, new Adam(vae.parameters(), 1e-3), g, mnist.head(2000), mnist.slice(2000, 2200), 3, 32, false, new TrainListener() { });
        double after = VaeEvaluation.elbo(vae, probe, 100, new Generator(1)).loss();
        assertTrue(after < before - 500, "Gaussian negative ELBO from " + before + " to " + after);
    }

    @Test
    void checkpoint_roundTripsWithItsConfiguration() throws IOException {
        Vae vae = trained(7, 1);
        Path file = tmp.resolve("vae.safetensors");
        Checkpoint.save(file, vae, null, vae.description());
        VaeConfig config = VaeConfig.fromMetadata(Checkpoint.read(file).metadata());
        assertEquals(SMALL, config);
        Vae loaded = new Vae(config, new Generator(99));
        Checkpoint.load(file, loaded, null, Vae.MODEL_NAME);
        Tensor x = test.images().sliceRows(0, 4);
        assertArrayEquals(vae.reconstruct(x).toFloatArray(), loaded.reconstruct(x).toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> VaeConfig.fromMetadata(Map.of("model", "vae")));
    }

    @Test
    void normalQuantile_matchesKnownValues() {
        assertEquals(0.0, VaeEvaluation.normalQuantile(0.5), 1e-15);
        assertEquals(1.959963984540054, VaeEvaluation.normalQuantile(0.975), 1e-8);
        assertEquals(-3.090232306167813, VaeEvaluation.normalQuantile(0.001), 1e-8);
        assertEquals(-VaeEvaluation.normalQuantile(0.3), VaeEvaluation.normalQuantile(0.7), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> VaeEvaluation.normalQuantile(1.0));
    }

    @Test
    void keepBest_endsWithTheBestValidationEpochsParameters() {
        Generator g = new Generator(11);
        Vae vae = new Vae(SMALL, g);
        java.util.List<java.util.Map<String, Tensor>> snapshots = new java.util.ArrayList<>();
        List<EpochRecord> h = fit(vae, new Adam(vae.parameters(), 3e-2), g, train.head(500), train.slice(500, 700), 6, 50, true, new TrainListener() {
                    @Override
                    public void epochDone(EpochRecord r) {
                        java.util.Map<String, Tensor> copy = new java.util.LinkedHashMap<>();
                        vae.namedParameters().forEach((k, p) -> copy.put(k, p.value().copy()));
                        snapshots.add(copy);
                    }
                });
        int best = h.stream().min(java.util.Comparator.comparingDouble(r -> r.get("valid.loss"))).orElseThrow().epoch();
        vae.namedParameters().forEach((k, p) -> assertArrayEquals(snapshots.get(best - 1).get(k).toFloatArray(),
                p.value().toFloatArray(), k));
    }

    @Test
    void nonFiniteLoss_stopsTrainingBeforeTheParametersChange() {
        Generator g = new Generator(12);
        Vae vae = new Vae(SMALL, g);
        // a learning rate this large overflows within a few steps
        Adam adam = new Adam(vae.parameters(), 1e30);
        java.util.Map<String, Tensor> last = new java.util.LinkedHashMap<>();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> fit(vae, adam, g, train.head(640), train.head(64), 3, 32, false, new TrainListener() {
                    @Override
                    public void stepDone(StepContext c, StepResult r, double examplesPerSecond) {
                        vae.namedParameters().forEach((k, p) -> last.put(k, p.value().copy()));
                    }
                }));
        assertTrue(e.getMessage().matches("epoch \\d+, step \\d+: the negative ELBO is (NaN|Infinity|-Infinity); "
                + "training stopped before updating the parameters.*"), e.getMessage());
        vae.namedParameters().forEach((k, p) -> assertArrayEquals(last.get(k).toFloatArray(), p.value().toFloatArray(), k));
    }

    @Test
    void anomalyMode_namesTheOpAndTheStep() {
        Generator g = new Generator(13);
        Vae vae = new Vae(SMALL, g);
        vae.namedParameters().get("logvar.bias").value().fill(Double.NaN);
        try (org.autodiff4j.autograd.Anomaly ignored = org.autodiff4j.autograd.Anomaly.detect()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> fit(vae,
                    new Adam(vae.parameters(), 1e-3), g, train.head(64), train.head(64), 1, 32, false, new TrainListener() { }));
            assertEquals("epoch 1, step 1: the forward value of AddMatMul has NaN at flat index 0 of shape [32, 8]", e.getMessage());
        }
    }

    @Test
    void trainerOptions_rejectNonsense() {
        assertThrows(IllegalArgumentException.class, () -> TrainLoop.Options.epochs(0));
        assertThrows(IllegalArgumentException.class, () -> TrainLoop.Options.epochs(1).withEarlyStopping("valid.loss", -1, false));
        assertThrows(IllegalArgumentException.class, () -> new VaeTask.Options(0, LearningRateSchedule.constant(), false, 0));
        assertEquals(Shape.of(2, 3), Tensor.zeros(DType.FLOAT32, 2, 3).shape());
    }

    /** Trains with the loop: constant learning rate, no binarization or warm-up; keeps the best epoch when asked. */
    private static List<EpochRecord> fit(Vae vae, org.autodiff4j.nn.optim.Optimizer optimizer, Generator g, Dataset train,
                                         Dataset valid, int epochs, int batchSize, boolean keepBest, TrainListener listener) {
        TrainLoop.Options o = TrainLoop.Options.epochs(epochs);
        if (keepBest) {
            o = o.withEarlyStopping("valid.loss", 0, true);
        }
        try {
            return new TrainLoop(new VaeTask(vae, optimizer, train, valid,
                    new VaeTask.Options(batchSize, LearningRateSchedule.constant(), false, 0)), g, o).run(listener);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
