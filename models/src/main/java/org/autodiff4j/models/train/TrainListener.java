package org.autodiff4j.models.train;

import java.io.IOException;

/** Told of every step and epoch of a {@link TrainLoop}: progress bars, logs, pictures, reports. */
public interface TrainListener {

    /**
     * After each step.
     *
     * @param context           where the step stood
     * @param result            the step's figures
     * @param examplesPerSecond the epoch's speed so far in this session, by the steps' weights
     */
    default void stepDone(StepContext context, StepResult result, double examplesPerSecond) {
    }

    /**
     * After each epoch and its evaluation.
     *
     * @param record the epoch's figures
     * @throws IOException when the listener's own output (a picture, a file) cannot be written
     */
    default void epochDone(EpochRecord record) throws IOException {
    }

    /**
     * Listeners called in order.
     *
     * @param listeners the listeners
     * @return one listener that calls them all
     */
    static TrainListener all(TrainListener... listeners) {
        return new TrainListener() {
            @Override
            public void stepDone(StepContext context, StepResult result, double examplesPerSecond) {
                for (TrainListener l : listeners) {
                    l.stepDone(context, result, examplesPerSecond);
                }
            }

            @Override
            public void epochDone(EpochRecord record) throws IOException {
                for (TrainListener l : listeners) {
                    l.epochDone(record);
                }
            }
        };
    }
}
