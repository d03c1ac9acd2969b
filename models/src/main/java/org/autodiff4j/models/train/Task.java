package org.autodiff4j.models.train;

import java.util.List;
import java.util.Map;

import org.autodiff4j.models.data.Batch;
import org.autodiff4j.nn.Module;
import org.autodiff4j.nn.optim.Optimizer;
import org.autodiff4j.nn.optim.Scheduler;
import org.autodiff4j.tensor.Generator;

/**
 * What {@link TrainLoop} trains: the model and optimisers its checkpoints hold, one epoch's batches, one
 * optimisation step, and an optional evaluation after each epoch. Every random number a task draws must
 * come from the generator it is handed, so that a resumed run continues bit for bit.
 */
public interface Task {

    /**
     * The module whose parameters checkpoints hold and early stopping may restore.
     *
     * @return the model (one module; a task of several networks returns their parent)
     */
    Module model();

    /**
     * The optimisers whose state checkpoints hold, by a name that is stable across runs.
     *
     * @return the optimisers, e.g. {@code {"adam": adam}} or {@code {"generator": g, "discriminator": d}}
     */
    Map<String, Optimizer> optimizers();

    /**
     * The learning-rate schedulers the loop applies: those {@link Scheduler.Unit#EPOCH per epoch} before each epoch
     * (with the epochs done), those {@link Scheduler.Unit#STEP per step} before each step (with the steps done).
     *
     * @return the schedulers, none by default
     */
    default List<Scheduler> schedulers() {
        return List.of();
    }

    /**
     * Called at the start of each epoch, after the epoch schedulers, before its batches are drawn (a KL warm-up).
     *
     * @param epoch the epoch, counted from 1
     */
    default void beginEpoch(int epoch) {
    }

    /**
     * The batches of one epoch, drawn from {@code g} (shuffle, a fresh binarization). A resumed run calls it
     * again with the generator where it was at the epoch's start, so it must draw the same way each time.
     *
     * @param epoch the epoch, counted from 1
     * @param g     the generator to draw from
     * @return the epoch's batches; {@link #batchesPerStep()} of them make a step
     */
    List<Batch> batches(int epoch, Generator g);

    /**
     * Batches one step consumes: 1, or k for a GAN's k discriminator steps per generator step.
     *
     * @return batches per step, at least 1
     */
    default int batchesPerStep() {
        return 1;
    }

    /**
     * One optimisation step: forward, backward, update.
     *
     * @param batches {@link #batchesPerStep()} batches
     * @param context the epoch, the step and the generator to draw from
     * @return the step's figures (e.g. its loss) and their weight in the epoch's means
     */
    StepResult step(List<Batch> batches, StepContext context);

    /**
     * Figures after each epoch's steps, e.g. the validation loss that early stopping watches. The loop merges
     * them into the epoch's record next to the means of the step figures.
     *
     * @param epoch the epoch, counted from 1
     * @param g     the generator to draw from (the same in a resumed run)
     * @return named figures, or none
     */
    default Map<String, Double> evaluate(int epoch, Generator g) {
        return Map.of();
    }

    /**
     * The name a checkpoint records, checked on resume so that one task's checkpoint is not continued by another.
     *
     * @return a stable name; the class's simple name by default
     */
    default String name() {
        return getClass().getSimpleName();
    }
}
