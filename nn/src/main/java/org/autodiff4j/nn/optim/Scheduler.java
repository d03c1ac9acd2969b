package org.autodiff4j.nn.optim;

import java.util.Objects;

/**
 * Sets an optimiser's learning rate from a {@link LearningRateSchedule} at each epoch or each step, as
 * {@code torch.optim.lr_scheduler}: the base rate is the optimiser's rate when the scheduler is made, and
 * {@link #apply} sets the rate for a count of epochs or steps done, so a resumed run gets the same rates.
 * {@link org.autodiff4j.nn.optim.Optimizer#setLearningRate} is what it calls.
 * <pre>{@code
 * Scheduler lr = Scheduler.perEpoch(adam, LearningRateSchedule.step(30, 0.1));
 * lr.apply(epoch - 1);   // the training loop does this for a task's schedulers
 * }</pre>
 */
public final class Scheduler {
    /** When a scheduler is applied. */
    public enum Unit {
        /** Before each epoch, with the number of epochs done. */
        EPOCH,
        /** Before each step, with the number of steps done. */
        STEP
    }

    private final Optimizer optimizer;
    private final LearningRateSchedule schedule;
    private final Unit unit;
    private final double baseRate;

    /**
     * A scheduler of {@code optimizer}'s rate, from its current rate.
     *
     * @param optimizer the optimiser whose rate it sets
     * @param schedule the rate at each count
     * @param unit whether the count is of epochs or of steps
     */
    public Scheduler(Optimizer optimizer, LearningRateSchedule schedule, Unit unit) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.unit = Objects.requireNonNull(unit, "unit");
        this.baseRate = optimizer.learningRate();
    }

    /**
     * A scheduler applied before each epoch.
     *
     * @param optimizer the optimiser whose rate it sets
     * @param schedule the rate for each number of epochs done
     * @return the scheduler
     */
    public static Scheduler perEpoch(Optimizer optimizer, LearningRateSchedule schedule) {
        return new Scheduler(optimizer, schedule, Unit.EPOCH);
    }

    /**
     * A scheduler applied before each step.
     *
     * @param optimizer the optimiser whose rate it sets
     * @param schedule the rate for each number of steps done
     * @return the scheduler
     */
    public static Scheduler perStep(Optimizer optimizer, LearningRateSchedule schedule) {
        return new Scheduler(optimizer, schedule, Unit.STEP);
    }

    /**
     * Sets the optimiser's rate for {@code done} epochs or steps done (0 before the first).
     *
     * @param done how many epochs or steps are done
     */
    public void apply(long done) {
        optimizer.setLearningRate(schedule.rate((int) Math.min(Integer.MAX_VALUE, done), baseRate));
    }

    /**
     * Whether it is applied per epoch or per step.
     *
     * @return the unit of its count
     */
    public Unit unit() {
        return unit;
    }

    /**
     * The rate the schedule starts from: the optimiser's rate when this scheduler was made.
     *
     * @return the base rate
     */
    public double baseRate() {
        return baseRate;
    }
}
