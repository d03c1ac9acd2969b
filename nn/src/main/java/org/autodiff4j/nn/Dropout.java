package org.autodiff4j.nn;

import org.autodiff4j.autograd.Variable;
import org.autodiff4j.tensor.Generator;

/**
 * Dropout, PyTorch's {@code nn.Dropout(p)}: in training each element is zeroed with probability p and the rest
 * scaled by {@code 1 / (1 - p)}; the identity in evaluation mode. Its random numbers come from the generator it is
 * given, so a seeded run is repeatable. See {@link Functional#dropout}.
 */
public final class Dropout extends Layer {
    private final double p;
    private final Generator g;

    /**
     * Dropout drawing its masks from {@code g}.
     *
     * @param p the probability of zeroing an element, in [0, 1)
     * @param g the generator the masks are drawn from
     * @throws IllegalArgumentException when p is outside [0, 1)
     */
    public Dropout(double p, Generator g) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
        }
        this.p = p;
        this.g = g;
    }

    @Override
    public Variable forward(Variable x) {
        return Functional.dropout(x, p, isTraining(), g);
    }
}
