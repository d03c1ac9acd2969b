package org.autodiff4j.models.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one finished epoch: the weighted means of its step figures (named {@code train.NAME}),
 * then the task's evaluation figures under their own names.
 *
 * @param epoch   the epoch, counted from 1
 * @param step    the run's step count at the epoch's end
 * @param seconds the seconds its steps took (evaluation excluded), over every session of a resumed run
 * @param figures the figures by name, in order
 */
public record EpochRecord(int epoch, long step, double seconds, Map<String, Double> figures) {

    /**
     * Copies the figures, keeping their order.
     *
     * @param epoch   the epoch, counted from 1
     * @param step    the run's step count at the epoch's end
     * @param seconds the seconds its steps took
     * @param figures the figures by name
     */
    public EpochRecord {
        figures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    }

    /**
     * One figure.
     *
     * @param name the figure's name, e.g. {@code train.loss} or {@code valid.loss}
     * @return its value
     * @throws IllegalArgumentException naming the figures there are when there is no such figure
     */
    public double get(String name) {
        Double v = figures.get(name);
        if (v == null) {
            throw new IllegalArgumentException("epoch " + epoch + " has no figure '" + name + "' (it has "
                    + String.join(", ", figures.keySet()) + ")");
        }
        return v;
    }
}
