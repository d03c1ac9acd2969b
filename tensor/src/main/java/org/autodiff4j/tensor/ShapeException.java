package org.autodiff4j.tensor;

/**
 * Thrown when the shapes of an op's operands do not fit. The message names the op, the problem,
 * both shapes and the offending dimension, e.g.
 * {@code matMul: inner dimensions differ: [128, 784] x [500, 20] (784 != 500)}.
 */
public class ShapeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with a complete message.
     *
     * @param message the complete message
     */
    public ShapeException(String message) {
        super(message);
    }
}
