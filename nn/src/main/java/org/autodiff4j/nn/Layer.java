package org.autodiff4j.nn;

import org.autodiff4j.autograd.Variable;

/** A module with one input and one output, the building block of {@link Sequential}. */
public abstract class Layer extends Module {

    /**
     * Applies this layer to a batch.
     *
     * @param x a batch [n, features]
     * @return the layer's output for the batch
     */
    public abstract Variable forward(Variable x);
}
