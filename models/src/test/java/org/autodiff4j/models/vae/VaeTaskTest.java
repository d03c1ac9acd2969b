package org.autodiff4j.models.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.autodiff4j.models.SharedData;
import org.autodiff4j.models.data.Dataset;
import org.autodiff4j.models.data.Datasets;
import org.autodiff4j.models.train.EpochRecord;
import org.autodiff4j.models.train.StepContext;
import org.autodiff4j.models.train.StepResult;
import org.autodiff4j.models.train.TrainListener;
import org.autodiff4j.models.train.TrainLoop;
import org.autodiff4j.models.train.TrainingStopped;
import org.autodiff4j.nn.Checkpoint;
import org.autodiff4j.nn.SafeTensors;
import org.autodiff4j.nn.optim.Adam;
import org.autodiff4j.nn.optim.LearningRateSchedule;
import org.autodiff4j.tensor.Generator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints and resume of the VAE's task: an interrupted and resumed run ends exactly where an uninterrupted one does. */
class VaeTaskTest {
    private static final VaeConfig TINY = new VaeConfig(784, List.of(16), 4, "tanh", VaeConfig.Likelihood.BERNOULLI);
    // 200 images in batches of 32: 7 steps per epoch, the last one short; dynamic binarization, KL warm-up and a
    // step schedule so that every piece of state matters
    private static final VaeTask.Options TASK = new VaeTask.Options(32, LearningRateSchedule.step(2, 0.5), true, 2);
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

    private record Run(Vae vae, TrainLoop loop) {
        static Run fresh(long seed, Path checkpoint, int every) {
            Generator g = new Generator(seed);
            Vae vae = new Vae(TINY, g);
            Adam adam = new Adam(vae.namedParameters(), 3e-3, 0.9, 0.999, 1e-8, 0.0);
            TrainLoop.Options o = TrainLoop.Options.epochs(4).withEarlyStopping("valid.loss", 3, true);
            if (checkpoint != null) {
                o = o.withCheckpoint(checkpoint, every).withMetadata(TINY.toMetadata());
            }
            return new Run(vae, new TrainLoop(new VaeTask(vae, adam, train, valid, TASK), g, o));
        }
    }

    private static TrainListener stoppingAt(int step, TrainLoop loop, AtomicInteger steps) {
        return new TrainListener() {
            @Override
            public void stepDone(StepContext context, StepResult result, double examplesPerSecond) {
                if (steps.incrementAndGet() == step) {
                    loop.requestStop();
                }
            }
        };
    }

    private static void assertSameParameters(Vae expected, Vae actual) {
        expected.namedParameters().forEach((name, p) -> assertArrayEquals(p.value().toFloatArray(),
                actual.namedParameters().get(name).value().toFloatArray(), name));
    }

    @Test
    void resumedRun_endsWithTheParametersOfAnUninterruptedOne() throws IOException {
        Run whole = Run.fresh(11, null, 0);
        List<EpochRecord> expected = whole.loop().run(new TrainListener() { });
        for (int stopAt : new int[] {3, 7, 12, 28}) { // mid-epoch, end of an epoch, mid-epoch later, last step
            Path file = tmp.resolve("stop-" + stopAt + ".safetensors");
            Run first = Run.fresh(11, file, 5);
            TrainingStopped stopped = assertThrows(TrainingStopped.class,
                    () -> first.loop().run(stoppingAt(stopAt, first.loop(), new AtomicInteger())));
            assertEquals(file, stopped.checkpoint());

            Run second = Run.fresh(99, file, 5);
            List<EpochRecord> resumed = second.loop().resume(file, new TrainListener() { });
            assertSameParameters(whole.vae(), second.vae());
            assertEquals(expected.size(), resumed.size());
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i).figures(), resumed.get(i).figures(), "epoch " + (i + 1) + ", stop at " + stopAt);
            }
        }
    }

    @Test
    void finishedCheckpoint_resumesStraightToTheKeptParameters() throws IOException {
        Path file = tmp.resolve("done.safetensors");
        Run first = Run.fresh(11, file, 0);
        first.loop().run(new TrainListener() { });
        Run second = Run.fresh(11, file, 0);
        AtomicInteger steps = new AtomicInteger();
        second.loop().resume(file, new TrainListener() {
            @Override
            public void stepDone(StepContext context, StepResult result, double examplesPerSecond) {
                steps.incrementAndGet();
            }
        });
        assertTrue(second.loop().state().finished());
        assertEquals(0, steps.get());
        assertSameParameters(first.vae(), second.vae());
    }

    @Test
    void checkpointsWithoutOrWithDamagedState_areRejectedNamingTheFile() throws IOException {
        Path plain = tmp.resolve("plain.safetensors");
        Run run = Run.fresh(11, null, 0);
        Checkpoint.save(plain, run.vae(), null, TINY.toMetadata());
        IOException e = assertThrows(IOException.class, () -> Run.fresh(11, null, 0).loop().resume(plain, new TrainListener() { }));
        assertEquals(plain + ": no 'trainer.state' entry: not a resumable training checkpoint", e.getMessage());

        // a checkpoint of 0.1's trainer layout
        Path old = tmp.resolve("old.safetensors");
        Map<String, String> meta = new LinkedHashMap<>(TINY.toMetadata());
        meta.put("trainer.epoch", "2");
        Checkpoint.save(old, run.vae(), null, meta);
        e = assertThrows(IOException.class, () -> Run.fresh(11, null, 0).loop().resume(old, new TrainListener() { }));
        assertTrue(e.getMessage().startsWith(old + ": a training checkpoint of autodiff4j 0.1"), e.getMessage());

        Path file = tmp.resolve("state.safetensors");
        Run.fresh(11, file, 0).loop().run(new TrainListener() { });
        SafeTensors.Contents c = SafeTensors.read(file);
        Map<String, String> bad = new LinkedHashMap<>(c.metadata());
        bad.put("trainer.state", c.metadata().get("trainer.state").replace("\"epoch\":5", "\"epoch\":-1"));
        SafeTensors.write(file, c.tensors(), bad);
        e = assertThrows(IOException.class, () -> Run.fresh(11, null, 0).loop().resume(file, new TrainListener() { }));
        assertEquals(file + ": 'trainer.state': epoch is -1, expected at least 1", e.getMessage());

        // running sums as an array, a missing or non-boolean 'finished', a figure that is not a number
        String state = c.metadata().get("trainer.state");
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        Map<String, String> cases = new LinkedHashMap<>();
        var arraySums = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(state);
        arraySums.putArray("sums").add(1.0);
        cases.put(json.writeValueAsString(arraySums), "sums is [1.0], expected an object of figures");
        var noFinished = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(state);
        noFinished.remove("finished");
        cases.put(json.writeValueAsString(noFinished), "finished is missing, expected true or false");
        var textFinished = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(state);
        textFinished.put("finished", "yes");
        cases.put(json.writeValueAsString(textFinished), "finished is \"yes\", expected true or false");
        for (var k : cases.entrySet()) {
            bad.put("trainer.state", k.getKey());
            SafeTensors.write(file, c.tensors(), bad);
            IOException x = assertThrows(IOException.class, () -> Run.fresh(11, null, 0).loop().resume(file, new TrainListener() { }));
            assertEquals(file + ": 'trainer.state': " + k.getValue(), x.getMessage());
        }
    }
}
