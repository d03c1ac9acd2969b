package org.autodiff4j.models.train;

import org.autodiff4j.tensor.Generator;

/**
 * Where a step stands: its epoch and position, and the generator every random number must come from.
 *
 * @param epoch        the epoch, counted from 1
 * @param stepInEpoch  the step within the epoch, counted from 1
 * @param stepsInEpoch the steps the epoch will have
 * @param step         the step over the whole run, counted from 1
 * @param generator    the run's generator
 */
public record StepContext(int epoch, int stepInEpoch, int stepsInEpoch, long step, Generator generator) {

    /**
     * Throws before an update would spread a non-finite loss into the parameters (the loop's NaN guard
     * also checks every figure a step returns).
     *
     * @param what  the figure's name, for the message
     * @param value the figure
     * @throws NonFiniteException naming the figure, the epoch and the step when {@code value} is NaN or infinite
     */
    public void requireFinite(String what, double value) {
        if (!Double.isFinite(value)) {
            throw new NonFiniteException("epoch " + epoch + ", step " + stepInEpoch + ": " + what + " is " + value
                    + "; training stopped before updating the parameters (anomaly detection names the op)");
        }
    }

    /** A loss or figure became NaN or infinite. */
    public static final class NonFiniteException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        NonFiniteException(String message) {
            super(message);
        }
    }
}
