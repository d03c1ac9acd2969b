package org.autodiff4j.models.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one step reports: named figures (in a fixed order) and their weight in the epoch's means, usually
 * the number of examples the step saw.
 *
 * @param figures the figures by name, e.g. {@code loss}
 * @param weight  the weight of this step in the epoch's means (positive)
 */
public record StepResult(Map<String, Double> figures, double weight) {

    /**
     * Copies the figures, keeping their order.
     *
     * @param figures the figures by name
     * @param weight  the weight of this step in the epoch's means
     * @throws IllegalArgumentException when the weight is not positive
     */
    public StepResult {
        if (!(weight > 0)) {
            throw new IllegalArgumentException("StepResult: weight must be positive, got " + weight);
        }
        figures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    }

    /**
     * A step result from alternating names and values.
     *
     * @param weight       the weight of this step in the epoch's means
     * @param namesAndValues name, value, name, value, ...
     * @return the result
     */
    public static StepResult of(double weight, Object... namesAndValues) {
        Map<String, Double> f = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            f.put((String) namesAndValues[i], ((Number) namesAndValues[i + 1]).doubleValue());
        }
        return new StepResult(f, weight);
    }
}
