package org.autodiff4j.models.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.autodiff4j.autograd.Variable;
import org.autodiff4j.autograd.loss.Losses;
import org.autodiff4j.autograd.loss.Reduction;
import org.autodiff4j.models.data.Batch;
import org.autodiff4j.models.data.DataLoader;
import org.autodiff4j.models.data.TensorDataset;
import org.autodiff4j.nn.Activation;
import org.autodiff4j.nn.Linear;
import org.autodiff4j.nn.Module;
import org.autodiff4j.nn.SafeTensors;
import org.autodiff4j.nn.Sequential;
import org.autodiff4j.nn.optim.Adam;
import org.autodiff4j.nn.optim.LearningRateSchedule;
import org.autodiff4j.nn.optim.Optimizer;
import org.autodiff4j.nn.optim.Scheduler;
import org.autodiff4j.tensor.Elementwise;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loop with a task a user writes: a small MLP regression with noisy inputs drawn from the step's generator. */
class TrainLoopTest {
    @TempDir
    Path tmp;

    /** A user's model and task: y = sin(3x) from 100 points, 2-16-1 tanh MLP, Adam, input noise each step. */
    static class Regression implements Task {
        final Sequential net;
        final Adam adam;
        final DataLoader loader;
        final TensorDataset valid;
        /** Warm-up over 5 steps, then halving every 10: the loop applies it before each step, resumed runs too. */
        final Scheduler schedule;
        double lossScale = 1;

        Regression(long seed) {
            Generator g = new Generator(seed);
            net = new Sequential(new Linear(1, 16, g), new Activation.Tanh(), new Linear(16, 1, g));
            adam = new Adam(net, 1e-2);
            Tensor x = Tensor.uniform(new Generator(1), -1, 1, DType.FLOAT32, 100, 1);
            Tensor y = x.mul(3).map(Elementwise.unary(Math::sin));
            loader = new DataLoader(new TensorDataset(Tensor.concat(1, x, y), null), 16, true, false);
            valid = new TensorDataset(Tensor.concat(1, x, y), null);
            schedule = Scheduler.perStep(adam, LearningRateSchedule.warmup(5).andThen(LearningRateSchedule.step(10, 0.5)));
        }

        @Override
        public List<Scheduler> schedulers() {
            return List.of(schedule);
        }

        @Override
        public Module model() {
            return net;
        }

        @Override
        public Map<String, Optimizer> optimizers() {
            return Map.of("adam", adam);
        }

        @Override
        public List<Batch> batches(int epoch, Generator g) {
            return loader.epoch(g);
        }

        @Override
        public StepResult step(List<Batch> batches, StepContext c) {
            Tensor xy = batches.get(0).x();
            Tensor noisy = xy.narrow(1, 0, 1).add(Tensor.randn(c.generator(), DType.FLOAT32, xy.shape().dim(0), 1).mul(0.01));
            adam.zeroGrad();
            Variable loss = Losses.mse(net.forward(Variable.constant(noisy)), Variable.constant(xy.narrow(1, 1, 1)),
                    Reduction.MEAN).mul(lossScale);
            loss.backward();
            adam.step();
            return StepResult.of(xy.shape().dim(0), "loss", loss.item());
        }

        @Override
        public Map<String, Double> evaluate(int epoch, Generator g) {
            Tensor xy = valid.x();
            double mse = Losses.mse(net.forward(Variable.constant(xy.narrow(1, 0, 1))), Variable.constant(xy.narrow(1, 1, 1)),
                    Reduction.MEAN).item();
            return Map.of("valid.loss", mse);
        }
    }

    private static TrainLoop.Options options(Path checkpoint) {
        TrainLoop.Options o = TrainLoop.Options.epochs(6).withCurve(3).withEarlyStopping("valid.loss", 0, true);
        return checkpoint == null ? o : o.withCheckpoint(checkpoint, 4);
    }

    @Test
    void userTask_resumedFromAnyStopEndsBitIdentical() throws IOException {
        Regression whole = new Regression(7);
        List<EpochRecord> expected = new TrainLoop(whole, new Generator(3), options(null)).run(new TrainListener() { });
        assertEquals(6, expected.size());
        assertTrue(expected.get(5).get("train.loss") < expected.get(0).get("train.loss"), expected.toString());
        for (int stopAt : new int[] {1, 7, 20, 42}) { // 7 steps per epoch: first step, end of epoch 1, mid, last
            Path file = tmp.resolve("s" + stopAt + ".safetensors");
            Regression first = new Regression(7);
            TrainLoop loop = new TrainLoop(first, new Generator(3), options(file));
            assertThrows(TrainingStopped.class, () -> loop.run(new TrainListener() {
                @Override
                public void stepDone(StepContext c, StepResult r, double examplesPerSecond) {
                    if (c.step() == stopAt) {
                        loop.requestStop();
                    }
                }
            }));
            assertEquals(stopAt, loop.state().step());
            Regression second = new Regression(99);
            TrainLoop resumed = new TrainLoop(second, new Generator(98), options(file));
            List<EpochRecord> history = resumed.resume(file, new TrainListener() { });
            whole.net.namedParameters().forEach((name, p) -> assertArrayEquals(p.value().toFloatArray(),
                    second.net.namedParameters().get(name).value().toFloatArray(), "stop at " + stopAt + ": " + name));
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i).figures(), history.get(i).figures(), "stop at " + stopAt + ", epoch " + (i + 1));
            }
            assertEquals(14, resumed.state().curve().size());
        }
    }

    @Test
    void aStopDuringAnEpochsEvaluation_orAfterTheLastStep_writesTheCheckpointAndResumesBitIdentical() throws IOException {
        Regression whole = new Regression(7);
        new TrainLoop(whole, new Generator(3), options(null)).run(new TrainListener() { });
        for (int stopInEpoch : new int[] {2, 6}) { // while epoch 2 is evaluated (a picture, a report), and the last one
            Path file = tmp.resolve("e" + stopInEpoch + ".safetensors");
            Regression first = new Regression(7);
            TrainLoop loop = new TrainLoop(first, new Generator(3), options(file));
            TrainingStopped stopped = assertThrows(TrainingStopped.class, () -> loop.run(new TrainListener() {
                @Override
                public void epochDone(EpochRecord e) {
                    if (e.epoch() == stopInEpoch) {
                        loop.requestStop();
                    }
                }
            }));
            assertTrue(stopped.getMessage().endsWith("; resume from " + file), stopped.getMessage());
            assertEquals(stopInEpoch * 7L, loop.state().step());
            assertEquals(stopInEpoch == 6, loop.state().finished(), stopped.getMessage());
            Regression second = new Regression(99);
            new TrainLoop(second, new Generator(98), options(file)).resume(file, new TrainListener() { });
            whole.net.namedParameters().forEach((name, p) -> assertArrayEquals(p.value().toFloatArray(),
                    second.net.namedParameters().get(name).value().toFloatArray(), "stop in epoch " + stopInEpoch + ": " + name));
        }
    }

    @Test
    void checkpoint_keysOptimizerStateByParameterName() throws IOException {
        Path file = tmp.resolve("c.safetensors");
        new TrainLoop(new Regression(7), new Generator(3), TrainLoop.Options.epochs(1).withCheckpoint(file, 0))
                .run(new TrainListener() { });
        Map<String, Tensor> t = SafeTensors.read(file).tensors();
        assertTrue(t.containsKey("0.weight") && t.containsKey("optimizer.adam.exp_avg.0.weight")
                && t.containsKey("optimizer.adam.exp_avg_sq.2.bias") && t.containsKey("optimizer.adam.step"), t.keySet().toString());
    }

    @Test
    void earlyStopping_keepsTheBestEpochAndStepBudgetEndsTraining() throws IOException {
        Regression r = new Regression(7);
        List<Map<String, Tensor>> snapshots = new ArrayList<>();
        List<EpochRecord> h = new TrainLoop(r, new Generator(3), TrainLoop.Options.epochs(8)
                .withEarlyStopping("valid.loss", 2, true)).run(new TrainListener() {
                    @Override
                    public void epochDone(EpochRecord e) {
                        Map<String, Tensor> copy = new java.util.LinkedHashMap<>();
                        r.net.namedParameters().forEach((k, p) -> copy.put(k, p.value().copy()));
                        snapshots.add(copy);
                    }
                });
        EpochRecord best = h.stream().min(java.util.Comparator.comparingDouble(e -> e.get("valid.loss"))).orElseThrow();
        r.net.namedParameters().forEach((k, p) -> assertArrayEquals(snapshots.get(best.epoch() - 1).get(k).toFloatArray(),
                p.value().toFloatArray(), k));

        TrainLoop budget = new TrainLoop(new Regression(7), new Generator(3), TrainLoop.Options.epochs(5).withStepLimits(3, 10));
        List<EpochRecord> b = budget.run(new TrainListener() { });
        assertEquals(10, budget.state().step());
        assertEquals(List.of(3L, 6L, 9L, 10L), b.stream().map(EpochRecord::step).toList());
    }

    @Test
    void nonFiniteFigure_stopsNamingEpochAndStepAndWritesNoCheckpoint() {
        Regression r = new Regression(7);
        r.lossScale = Double.POSITIVE_INFINITY;
        Path file = tmp.resolve("nan.safetensors");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new TrainLoop(r, new Generator(3), TrainLoop.Options.epochs(1).withCheckpoint(file, 0))
                        .run(new TrainListener() { }));
        assertTrue(e.getMessage().startsWith("epoch 1, step 1: loss became "), e.getMessage());
        assertTrue(!Files.exists(file));
    }

    @Test
    void resumeByAnotherTask_isRejectedNamingBoth() throws IOException {
        Path file = tmp.resolve("r.safetensors");
        new TrainLoop(new Regression(7), new Generator(3), TrainLoop.Options.epochs(1).withCheckpoint(file, 0))
                .run(new TrainListener() { });
        Regression other = new Regression(7) {
            @Override
            public String name() {
                return "other";
            }
        };
        IOException e = assertThrows(IOException.class, () -> new TrainLoop(other, new Generator(3),
                TrainLoop.Options.epochs(1)).resume(file, new TrainListener() { }));
        assertEquals(file + ": a checkpoint of task 'Regression', not 'other'", e.getMessage());
    }

    @Test
    void schedulers_setTheRateBeforeEachStep() throws IOException {
        Regression task = new Regression(7);
        List<Double> rates = new java.util.ArrayList<>();
        new TrainLoop(task, new Generator(3), TrainLoop.Options.epochs(3)).run(new TrainListener() {
            @Override
            public void stepDone(StepContext context, StepResult result, double examplesPerSecond) {
                rates.add(task.adam.learningRate());
            }
        });
        assertEquals(21, rates.size());
        for (int step = 0; step < rates.size(); step++) {
            double expected = 1e-2 * Math.min(1.0, (step + 1) / 5.0) * Math.pow(0.5, step / 10);
            assertEquals(expected, rates.get(step), 1e-15, "step " + step);
        }
    }
}
