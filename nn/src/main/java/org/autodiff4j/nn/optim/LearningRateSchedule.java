package org.autodiff4j.nn.optim;

/**
 * The learning rate at each epoch or step, given the base rate: constant, step decay, exponential and linear decay,
 * linear warm-up, and their products ({@link #andThen}). A {@link Scheduler} applies one to an optimiser, as
 * {@code torch.optim.lr_scheduler} does.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /**
     * The rate for {@code epoch} (counting from 0).
     *
     * @param epoch the epoch (or step), counted from 0
     * @param baseRate the optimiser's initial rate
     * @return the rate for {@code epoch} (counting from 0)
     */
    double rate(int epoch, double baseRate);

    /**
     * The base rate throughout.
     *
     * @return the base rate throughout
     */
    static LearningRateSchedule constant() {
        return (epoch, base) -> base;
    }

    /**
     * The base rate times {@code gamma} every {@code every} epochs (PyTorch's StepLR).
     *
     * @param every epochs between decays
     * @param gamma the factor applied at each decay
     * @return the base rate times {@code gamma} every {@code every} epochs (PyTorch's StepLR)
     */
    static LearningRateSchedule step(int every, double gamma) {
        if (every <= 0) {
            throw new IllegalArgumentException("step schedule: 'every' must be positive, got " + every);
        }
        return (epoch, base) -> base * Math.pow(gamma, epoch / every);
    }

    /**
     * The base rate times {@code gamma^epoch} (PyTorch's ExponentialLR).
     *
     * @param gamma the factor applied at each decay
     * @return the base rate times {@code gamma^epoch} (PyTorch's ExponentialLR)
     */
    static LearningRateSchedule exponential(double gamma) {
        return (epoch, base) -> base * Math.pow(gamma, epoch);
    }

    /**
     * The base rate falling linearly to {@code endFactor} times it over {@code total} epochs (or steps), then
     * held there (PyTorch's LinearLR from factor 1).
     *
     * @param total epochs (or steps) over which the rate falls
     * @param endFactor the fraction of the base rate reached at the end
     * @return the base rate falling linearly to {@code endFactor} times it over {@code total} epochs (or steps), then held there (PyTorch's LinearLR from factor 1)
     */
    static LearningRateSchedule linear(int total, double endFactor) {
        if (total <= 0 || endFactor < 0) {
            throw new IllegalArgumentException("linear schedule: 'total' must be positive and 'endFactor' at least 0, got "
                    + total + " and " + endFactor);
        }
        return (epoch, base) -> base * (1 + (endFactor - 1) * Math.min(epoch, total) / (double) total);
    }

    /**
     * Linear warm-up, as PyTorch's {@code LinearLR} from 1/length: {@code base * min(1, (t + 1) / length)}.
     *
     * @param length the epochs or steps the warm-up lasts, positive
     * @return the warm-up
     * @throws IllegalArgumentException when {@code length} is not positive
     */
    static LearningRateSchedule warmup(int length) {
        if (length <= 0) {
            throw new IllegalArgumentException("warmup schedule: 'length' must be positive, got " + length);
        }
        return (t, base) -> base * Math.min(1.0, (t + 1.0) / length);
    }

    /**
     * This schedule's rate used as the base of {@code next}: the product of the two factors, e.g. a warm-up and then
     * step decay, {@code warmup(5).andThen(step(30, 0.1))}.
     *
     * @param next the schedule applied on top
     * @return the combined schedule
     */
    default LearningRateSchedule andThen(LearningRateSchedule next) {
        return (t, base) -> next.rate(t, rate(t, base));
    }
}
