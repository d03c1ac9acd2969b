package org.autodiff4j.models.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.autodiff4j.autograd.Anomaly;
import org.autodiff4j.models.data.Batch;
import org.autodiff4j.nn.Checkpoint;
import org.autodiff4j.nn.SafeTensors;
import org.autodiff4j.nn.optim.Scheduler;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/**
 * The training loop for any {@link Task}: epochs of steps, checkpoints every N steps, at the end and on
 * Ctrl-C, exact resume (the epoch's shuffle is replayed from the saved generator position), a NaN guard,
 * early stopping on an evaluation figure with the best parameters kept, and step budgets.
 * <pre>{@code
 * TrainLoop loop = new TrainLoop(task, new Generator(0), TrainLoop.Options.epochs(10)
 *         .withCheckpoint(Path.of("run/checkpoint.safetensors"), 500)
 *         .withEarlyStopping("valid.loss", 5, true));
 * List<EpochRecord> history = loop.run(listener);          // or loop.resume(file, listener)
 * }</pre>
 * A run resumed from any of its checkpoints ends with the same parameters, bit for bit, as the same run
 * never interrupted, provided the task draws every random number from the generator it is handed.
 */
// NOTE: over 400 lines with its nested Options (the loop's settings and their with-methods) and StopNotice, kept
// nested so that users write TrainLoop.Options; the loop itself is the named steps of run()
public final class TrainLoop {

    /**
     * How a loop runs.
     *
     * @param epochs           the last epoch to run
     * @param maxStepsPerEpoch the most steps an epoch may take (0: all its batches)
     * @param maxSteps         the step budget of the whole run (0: none); reaching it ends training
     * @param checkpoint       the checkpoint file, replaced atomically each time; null writes none
     * @param checkpointEvery  steps between checkpoints (0: only on a stop and at the end)
     * @param metadata         extra checkpoint metadata (the model's configuration, a command's arguments)
     * @param monitor          the epoch figure early stopping watches (lower is better), or null for none
     * @param patience         epochs without a better {@code monitor} before training stops (0: never)
     * @param keepBest         whether training ends with the parameters of the best {@code monitor} epoch
     * @param curveEvery       steps between rows of the step curve (0: no curve)
     */
    public record Options(int epochs, int maxStepsPerEpoch, long maxSteps, Path checkpoint, int checkpointEvery,
                          Map<String, String> metadata, String monitor, int patience, boolean keepBest,
                          int curveEvery) {

        /**
         * Checks the numbers.
         *
         * @param epochs           the last epoch to run
         * @param maxStepsPerEpoch the most steps an epoch may take (0: all its batches)
         * @param maxSteps         the step budget of the whole run (0: none)
         * @param checkpoint       the checkpoint file, or null
         * @param checkpointEvery  steps between checkpoints (0: only on a stop and at the end)
         * @param metadata         extra checkpoint metadata
         * @param monitor          the figure early stopping watches, or null
         * @param patience         epochs without improvement before stopping (0: never)
         * @param keepBest         whether the best epoch's parameters are restored at the end
         * @param curveEvery       steps between rows of the step curve (0: none)
         * @throws IllegalArgumentException naming the value out of range
         */
        public Options {
            if (epochs < 1 || maxStepsPerEpoch < 0 || maxSteps < 0 || checkpointEvery < 0 || patience < 0
                    || curveEvery < 0) {
                throw new IllegalArgumentException("training options out of range: epochs " + epochs
                        + " (>= 1), steps per epoch " + maxStepsPerEpoch + ", step budget " + maxSteps
                        + ", checkpoint every " + checkpointEvery + ", patience " + patience + ", curve every "
                        + curveEvery + " (all >= 0)");
            }
            if ((patience > 0 || keepBest) && monitor == null) {
                throw new IllegalArgumentException("early stopping and keepBest need a monitored figure");
            }
            metadata = Map.copyOf(metadata);
        }

        /**
         * Plain options: {@code epochs} epochs, no checkpoints, no early stopping.
         *
         * @param epochs the number of epochs
         * @return the options
         */
        public static Options epochs(int epochs) {
            return new Options(epochs, 0, 0, null, 0, Map.of(), null, 0, false, 0);
        }

        /**
         * Checkpoints to {@code file} every {@code every} steps, at the end, and on Ctrl-C or SIGTERM (a loop with
         * a checkpoint file stops after the step in progress on either signal, writing it).
         *
         * @param file  the checkpoint file
         * @param every steps between checkpoints (0: only on a stop and at the end)
         * @return these options with checkpoints
         */
        public Options withCheckpoint(Path file, int every) {
            return new Options(epochs, maxStepsPerEpoch, maxSteps, file, every, metadata, monitor, patience, keepBest,
                    curveEvery);
        }

        /**
         * Extra metadata for every checkpoint.
         *
         * @param extra entries such as the model's configuration
         * @return these options with the metadata
         */
        public Options withMetadata(Map<String, String> extra) {
            return new Options(epochs, maxStepsPerEpoch, maxSteps, checkpoint, checkpointEvery, extra, monitor,
                    patience, keepBest, curveEvery);
        }

        /**
         * Early stopping on an evaluation figure, lower being better.
         *
         * @param figure   the figure to watch, e.g. {@code valid.loss}
         * @param epochs   epochs without a better value before training stops (0: never stop early)
         * @param keepBest whether training ends with the best epoch's parameters
         * @return these options with early stopping
         */
        public Options withEarlyStopping(String figure, int epochs, boolean keepBest) {
            return new Options(this.epochs, maxStepsPerEpoch, maxSteps, checkpoint, checkpointEvery, metadata, figure,
                    epochs, keepBest, curveEvery);
        }

        /**
         * Step budgets.
         *
         * @param perEpoch the most steps an epoch may take (0: all)
         * @param total    the most steps of the whole run (0: no budget)
         * @return these options with the budgets
         */
        public Options withStepLimits(int perEpoch, long total) {
            return new Options(epochs, perEpoch, total, checkpoint, checkpointEvery, metadata, monitor, patience,
                    keepBest, curveEvery);
        }

        /**
         * A step curve: every {@code every} steps, the step number and the step's figures.
         *
         * @param every steps between rows (0: none)
         * @return these options with the curve
         */
        public Options withCurve(int every) {
            return new Options(epochs, maxStepsPerEpoch, maxSteps, checkpoint, checkpointEvery, metadata, monitor,
                    patience, keepBest, every);
        }
    }

    private final Task task;
    private final Generator g;
    private final Options options;
    private RunState state = new RunState();
    private volatile boolean stopRequested;

    /**
     * A loop over {@code task}.
     *
     * @param task      what to train
     * @param generator the source of every random number of the run (the task's draws included)
     * @param options   epochs, checkpoints, early stopping and budgets
     */
    public TrainLoop(Task task, Generator generator, Options options) {
        this.task = task;
        this.g = generator;
        this.options = options;
    }

    /**
     * Asks the loop to stop after the step in progress, write its checkpoint and throw {@link TrainingStopped}.
     * Safe from any thread (a shutdown hook, a UI).
     */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Where the run stands (its history, step and curve), also after {@link #run} returned or threw.
     *
     * @return the run's state
     */
    public RunState state() {
        return state;
    }

    /**
     * Loads a checkpoint this loop's task wrote (parameters, optimiser states and the run's position), then
     * continues the run to its end: {@link #load} and {@link #run}.
     *
     * @param checkpoint a checkpoint written by a loop over the same kind of task
     * @param listener   told of every step and epoch
     * @return the records of every epoch, including those before the resume
     * @throws IOException naming the file when it cannot be read or does not fit the task
     * @throws TrainingStopped when stopped on request, after writing the checkpoint
     */
    public List<EpochRecord> resume(Path checkpoint, TrainListener listener) throws IOException {
        load(checkpoint);
        return run(listener);
    }

    /**
     * Loads a checkpoint this loop's task wrote into the task's model and optimisers and this loop's state,
     * so that {@link #run} continues from there; {@link #state()} then tells where the run stands.
     *
     * @param checkpoint a checkpoint written by a loop over the same kind of task
     * @return the loaded state
     * @throws IOException naming the file when it cannot be read, holds no run state of this task, or holds
     *         parameters or optimiser states of other names or shapes
     */
    public RunState load(Path checkpoint) throws IOException {
        SafeTensors.Contents contents = SafeTensors.read(checkpoint);
        RunState saved;
        try {
            saved = RunState.fromCheckpoint(contents.metadata(), Checkpoint.trainerTensors(contents), task.name());
        } catch (IllegalArgumentException e) {
            throw new IOException(checkpoint + ": " + e.getMessage(), e);
        }
        Checkpoint.loadAll(checkpoint, task.model(), task.optimizers(), null);
        state = saved;
        return saved;
    }

    /**
     * Trains from where the loop stands (the start, or a resumed position) to the end.
     *
     * @param listener told of every step and epoch
     * @return the records of every epoch run, including those before a resume
     * @throws IOException when a checkpoint or the listener's output cannot be written
     * @throws TrainingStopped when stopped on request, after writing the checkpoint
     * @throws IllegalStateException naming the epoch and step when a figure became NaN or infinite
     */
    public List<EpochRecord> run(TrainListener listener) throws IOException {
        try (SignalStop ignored = options.checkpoint() != null ? new SignalStop(this) : null) {
            loop(listener);
        }
        if (state.bestParams != null) {
            task.model().loadStateDict(state.bestParams);
        }
        return state.history();
    }

    private void loop(TrainListener listener) throws IOException {
        if (state.current != null) {
            g.setState(state.current);
        }
        while (!state.finished && state.epoch <= options.epochs()) {
            EpochRun epoch = beginEpoch();
            runSteps(epoch, listener);
            endEpoch(epoch, listener);
        }
        finish();
    }

    /** An epoch under way: its number, its batches and steps, and the clock and weight of this session's part. */
    private static final class EpochRun {
        final int epoch;
        final List<Batch> batches;
        final int steps;
        long start = System.nanoTime();
        double sessionWeight;

        EpochRun(int epoch, List<Batch> batches, int steps) {
            this.epoch = epoch;
            this.batches = batches;
            this.steps = steps;
        }

        double seconds() {
            return (System.nanoTime() - start) / 1e9;
        }
    }

    /** Applies the epoch schedulers, lets the task begin the epoch and draws its batches (replayed on a resume). */
    private EpochRun beginEpoch() {
        RunState s = state;
        int epoch = s.epoch;
        applySchedulers(Scheduler.Unit.EPOCH, epoch - 1);
        task.beginEpoch(epoch);
        if (s.stepInEpoch == 0) {
            s.startEpoch(g.state());
        } else {
            g.setState(s.epochStart);
        }
        List<Batch> batches = task.batches(epoch, g);
        if (s.stepInEpoch > 0) {
            g.setState(s.current);
        }
        int perStep = task.batchesPerStep();
        int steps = batches.size() / perStep;
        if (options.maxStepsPerEpoch() > 0) {
            steps = Math.min(steps, options.maxStepsPerEpoch());
        }
        if (steps == 0) {
            throw new IllegalArgumentException("epoch " + epoch + " has " + batches.size() + " batches, fewer than one "
                    + "step of " + perStep);
        }
        if (s.stepInEpoch > steps) {
            throw new IllegalArgumentException("the run state is at step " + s.stepInEpoch + " of epoch " + epoch
                    + ", which has " + steps + " steps: a damaged checkpoint, or other data or settings");
        }
        return new EpochRun(epoch, batches, steps);
    }

    /** The epoch's remaining steps, each with its step schedulers, curve row, listener call and checkpoint. */
    private void runSteps(EpochRun e, TrainListener listener) throws IOException {
        RunState s = state;
        int perStep = task.batchesPerStep();
        while (s.stepInEpoch < e.steps) {
            applySchedulers(Scheduler.Unit.STEP, s.step);
            StepContext ctx = new StepContext(e.epoch, s.stepInEpoch + 1, e.steps, s.step + 1, g);
            StepResult r = step(e.batches.subList(s.stepInEpoch * perStep, (s.stepInEpoch + 1) * perStep), ctx);
            s.stepDone(r);
            e.sessionWeight += r.weight();
            if (options.curveEvery() > 0 && s.step % options.curveEvery() == 0) {
                addCurveRow(s, r);
            }
            listener.stepDone(ctx, r, e.sessionWeight / e.seconds());
            boolean budgetSpent = options.maxSteps() > 0 && s.step >= options.maxSteps();
            checkpointIfDue(e);
            if (budgetSpent) {
                s.finished = true;
                return;
            }
        }
    }

    /** Writes the checkpoint every {@code checkpointEvery} steps, and on a stop request, which it then answers. */
    private void checkpointIfDue(EpochRun e) throws IOException {
        boolean stop = stopRequested;
        if (stop || options.checkpointEvery() > 0 && state.step % options.checkpointEvery() == 0) {
            state.secondsBefore += e.seconds();
            e.start = System.nanoTime();
            state.current = g.state();
            save();
            if (stop) {
                throw new TrainingStopped(options.checkpoint(), e.epoch, state.stepInEpoch);
            }
        }
    }

    /** The epoch's record (training means and the task's evaluation), early stopping, and a stop during evaluation. */
    private void endEpoch(EpochRun e, TrainListener listener) throws IOException {
        RunState s = state;
        double seconds = s.secondsBefore + e.seconds();
        Map<String, Double> figures = new LinkedHashMap<>();
        s.sums.forEach((name, sum) -> figures.put("train." + name, sum / s.weight));
        figures.putAll(task.evaluate(e.epoch, g));
        EpochRecord record = new EpochRecord(e.epoch, s.step, seconds, figures);
        s.history.add(record);
        listener.epochDone(record);
        if (options.monitor() != null) {
            watch(record.get(options.monitor()));
        }
        s.nextEpoch(g.state());
        if (stopRequested && !s.finished && s.epoch <= options.epochs()) { // stopped during the epoch's evaluation
            save();
            throw new TrainingStopped(options.checkpoint(), e.epoch, e.steps);
        }
    }

    /** Early stopping: remembers the best value of the monitored figure (and its parameters), or counts patience. */
    private void watch(double value) {
        RunState s = state;
        if (value < s.best) {
            s.best = value;
            s.bestParams = options.keepBest() ? snapshot() : null;
            s.sinceBest = 0;
        } else if (++s.sinceBest >= options.patience() && options.patience() > 0) {
            s.finished = true;
        }
    }

    /** The final checkpoint, holding the finished training. */
    private void finish() throws IOException {
        state.finished = true;
        state.current = g.state();
        save();
        if (stopRequested) { // stopped after the last step: the checkpoint holds the finished training
            throw new TrainingStopped(options.checkpoint(), "training stopped after its last step, before what follows it");
        }
    }

    private void applySchedulers(Scheduler.Unit unit, long done) {
        for (Scheduler scheduler : task.schedulers()) {
            if (scheduler.unit() == unit) {
                scheduler.apply(done);
            }
        }
    }

    private StepResult step(List<Batch> batches, StepContext ctx) {
        StepResult r;
        try {
            r = task.step(batches, ctx);
        } catch (StepContext.NonFiniteException e) {
            throw e; // says where already
        } catch (Anomaly.AnomalyException | IllegalStateException e) { // a NaN found in anomaly mode, a task's own check
            throw new IllegalStateException("epoch " + ctx.epoch() + ", step " + ctx.stepInEpoch() + ": " + e.getMessage(), e);
        }
        r.figures().forEach((name, v) -> {
            if (!Double.isFinite(v)) {
                throw new StepContext.NonFiniteException("epoch " + ctx.epoch() + ", step " + ctx.stepInEpoch() + ": "
                        + name + " became " + v + "; the last checkpoint holds the parameters before it");
            }
        });
        return r;
    }

    private static void addCurveRow(RunState s, StepResult r) {
        if (s.curveNames.isEmpty()) {
            s.curveNames.addAll(r.figures().keySet());
        }
        double[] row = new double[1 + s.curveNames.size()];
        row[0] = s.step;
        for (int i = 0; i < s.curveNames.size(); i++) {
            row[i + 1] = r.figures().getOrDefault(s.curveNames.get(i), Double.NaN);
        }
        s.curve.add(row);
    }

    private Map<String, Tensor> snapshot() {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        task.model().stateDict().forEach((name, t) -> copy.put(name, t.copy()));
        return copy;
    }

    private void save() throws IOException {
        if (options.checkpoint() == null) {
            return;
        }
        Map<String, String> m = new LinkedHashMap<>(options.metadata());
        m.putAll(state.toMetadata(task.name()));
        Checkpoint.saveAll(options.checkpoint(), task.model(), task.optimizers(), state.tensors(), m);
    }

    /**
     * Whether a loop of this JVM is training now and will answer Ctrl-C or SIGTERM by writing its checkpoint and
     * throwing {@link TrainingStopped}; a program's own shutdown hook can leave the message to it then.
     *
     * @return whether a loop handles Ctrl-C now
     */
    public static boolean handlingSignals() {
        return SignalStop.active();
    }

    /**
     * Until closed, Ctrl-C or SIGTERM while no loop is training (loading data before it, evaluating and drawing after
     * it) runs a notice, such as which checkpoint is left and how to resume; while a loop trains, the loop answers
     * the signal ({@link TrainingStopped}) and the JVM waits until this is closed, so the program can say its line.
     * Install it around a whole run: {@code try (var n = StopNotice.install(() -> log.println(...))) { ... }}.
     */
    public static final class StopNotice implements AutoCloseable {
        private final CountDownLatch ended = new CountDownLatch(1);
        private final Thread hook;

        private StopNotice(Runnable notice) {
            hook = new Thread(() -> {
                if (handlingSignals()) {
                    try {
                        ended.await(120, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                } else {
                    notice.run();
                }
            }, "autodiff4j-notice");
            Runtime.getRuntime().addShutdownHook(hook);
        }

        /**
         * Installs the notice.
         *
         * @param notice what to do (say) when the JVM is stopped outside a training loop
         * @return the installed notice, to close when the run ends
         */
        public static StopNotice install(Runnable notice) {
            return new StopNotice(notice);
        }

        @Override
        public void close() {
            ended.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran)
            }
        }
    }
}
