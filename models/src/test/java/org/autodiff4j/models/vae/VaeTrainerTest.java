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
import java.util.concurrent.atomic.AtomicInteger;

import org.autodiff4j.models.SharedData;
import org.autodiff4j.models.data.Dataset;
import org.autodiff4j.models.data.Datasets;
import org.autodiff4j.nn.Checkpoint;
import org.autodiff4j.nn.SafeTensors;
import org.autodiff4j.nn.optim.Adam;
import org.autodiff4j.nn.optim.LearningRateSchedule;
import org.autodiff4j.tensor.Generator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints and resume: an interrupted and resumed run ends exactly where an uninterrupted one does. */
class VaeTrainerTest {
    private static final VaeConfig TINY = new VaeConfig(784, List.of(16), 4, "tanh", VaeConfig.Likelihood.BERNOULLI);
    // 200 images in batches of 32: 7 steps per epoch, the last one short; dynamic binarization and a
    // step schedule so that every piece of state matters
    private static final VaeTrainer.Options OPTIONS = new VaeTrainer.Options(4, 32, LearningRateSchedule.step(2, 0.5),
            3, 0, true, true, 2);
    private static Dataset train;
    private static Dataset valid;

    @TempDir
    Path tmp;

    @BeforeAll
    static void data() throws IOException {
        Datasets sets = new Datasets(List.of(SharedData.dir()), Path.of("target/no-cache"), null, Duration.ofSeconds(1));
        Dataset all = sets.load("binarized-mnist", "valid");
        train = all.head(200);
        valid = all.slice(200, 264);
    }

    private record Run(Vae vae, Adam adam, Generator g) {
        static Run fresh() {
            Generator g = new Generator(11);
            Vae vae = new Vae(TINY, g);
            return new Run(vae, new Adam(vae.namedParameters(), 3e-3, 0.9, 0.999, 1e-8, 0.0), g);
        }

        VaeTrainer trainer() {
            return new VaeTrainer(vae, adam, g);
        }
    }

    private static VaeTrainer.Listener counting(AtomicInteger steps) {
        return new VaeTrainer.Listener() {
            @Override
            public void batchDone(int epoch, int batch, int batches, double loss, double imagesPerSecond) {
                steps.incrementAndGet();
            }
        };
    }

    private static void assertSameParameters(Vae expected, Vae actual) {
        expected.namedParameters().forEach((name, p) -> assertArrayEquals(p.value().toFloatArray(),
                actual.namedParameters().get(name).value().toFloatArray(), name));
    }

    @Test
    void resumedRun_endsWithTheParametersOfAnUninterruptedOne() throws IOException {
        Run whole = Run.fresh();
        List<VaeTrainer.EpochResult> expected = whole.trainer().fit(train, valid, OPTIONS, new VaeTrainer.Listener() { });
        for (int stopAt : new int[] {3, 7, 12, 27}) { // mid-epoch, end of an epoch, mid-epoch later, last step
            Path file = tmp.resolve("stop-" + stopAt + ".safetensors");
            AtomicInteger steps = new AtomicInteger();
            Run first = Run.fresh();
            VaeTrainer.Stopped stopped = assertThrows(VaeTrainer.Stopped.class, () -> first.trainer().fit(train, valid,
                    OPTIONS, counting(steps), new VaeTrainer.Checkpointing(file, 5, () -> steps.get() == stopAt,
                            TINY.toMetadata()), new TrainingState()));
            assertEquals(file, stopped.checkpoint());

            Run second = new Run(new Vae(TINY, new Generator(99)), null, new Generator(99));
            Adam adam = new Adam(second.vae().namedParameters(), 3e-3, 0.9, 0.999, 1e-8, 0.0);
            Map<String, String> meta = Checkpoint.load(file, second.vae(), adam, Vae.MODEL_NAME);
            TrainingState state = TrainingState.fromCheckpoint(meta, Checkpoint.trainerTensors(Checkpoint.read(file)));
            assertEquals(stopAt, state.step());
            List<VaeTrainer.EpochResult> resumed = new VaeTrainer(second.vae(), adam, second.g()).fit(train, valid,
                    OPTIONS, new VaeTrainer.Listener() { }, new VaeTrainer.Checkpointing(file, 5, () -> false, meta), state);

            assertSameParameters(whole.vae(), second.vae());
            assertEquals(expected.size(), resumed.size());
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i).train(), resumed.get(i).train(), "epoch " + (i + 1) + ", stop at " + stopAt);
                assertEquals(expected.get(i).valid(), resumed.get(i).valid());
            }
        }
    }

    @Test
    void finishedCheckpoint_resumesStraightToTheKeptParameters() throws IOException {
        Path file = tmp.resolve("done.safetensors");
        Run first = Run.fresh();
        first.trainer().fit(train, valid, OPTIONS, new VaeTrainer.Listener() { },
                new VaeTrainer.Checkpointing(file, 0, () -> false, TINY.toMetadata()), new TrainingState());
        Run second = Run.fresh();
        Map<String, String> meta = Checkpoint.load(file, second.vae(), second.adam(), Vae.MODEL_NAME);
        TrainingState state = TrainingState.fromCheckpoint(meta, Checkpoint.trainerTensors(Checkpoint.read(file)));
        assertTrue(state.finished());
        AtomicInteger steps = new AtomicInteger();
        second.trainer().fit(train, valid, OPTIONS, counting(steps), VaeTrainer.Checkpointing.none(), state);
        assertEquals(0, steps.get());
        assertSameParameters(first.vae(), second.vae());
    }

    @Test
    void damagedTrainerState_isRejectedNamingTheEntry() throws IOException {
        Path file = tmp.resolve("plain.safetensors");
        Run run = Run.fresh();
        Checkpoint.save(file, run.vae(), run.adam(), TINY.toMetadata());
        SafeTensors.Contents c = Checkpoint.read(file);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingState.fromCheckpoint(c.metadata(), Checkpoint.trainerTensors(c)));
        assertEquals("no 'trainer.epoch' entry: not a resumable training checkpoint", e.getMessage());
        Map<String, String> meta = new java.util.HashMap<>(c.metadata());
        meta.put("trainer.epoch", "1");
        meta.put("trainer.batches_done", "0");
        meta.put("trainer.step", "0");
        meta.put("trainer.generator", "0:9e3779b97f4a7c15:-");
        meta.put("trainer.generator_epoch_start", "-");
        meta.put("trainer.sums", "1,2,x,4,5");
        e = assertThrows(IllegalArgumentException.class, () -> TrainingState.fromCheckpoint(meta, Map.of()));
        assertEquals("'trainer.sums' is not a list of numbers: '1,2,x,4,5'", e.getMessage());
    }
}
