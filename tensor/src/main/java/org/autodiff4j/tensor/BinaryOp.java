package org.autodiff4j.tensor;

/**
 * The elementwise functions of two same-shape tensors {@code a} and {@code b} with their own loops in
 * the storage backends: arithmetic, the backward rules of the activations (PyTorch's
 * {@code tanh_backward} and friends: {@code a} is the upstream gradient) and the binary cross-entropy
 * with logits ({@code a} the logits, {@code b} the targets). {@code p} is the op's constant (the slope).
 */
enum BinaryOp {
    ADD, SUB, MUL, DIV,
    /** {@code a (1 - b^2)} with {@code b = tanh(x)}. */
    TANH_BACKWARD,
    /** {@code a b (1 - b)} with {@code b = sigmoid(x)}. */
    SIGMOID_BACKWARD,
    /** {@code a} where {@code b > 0}, else {@code p a}. */
    LEAKY_RELU_BACKWARD,
    /** {@code softplus(a) - a b}: the loss of logit {@code a} against target {@code b}. */
    BCE_WITH_LOGITS,
    /** {@code sigmoid(a) - b}: its derivative in {@code a}. */
    BCE_WITH_LOGITS_BACKWARD;

    /** The exact value at {@code (a, b)}, in double precision. */
    double apply(double a, double b, double p) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case TANH_BACKWARD -> a * (1.0 - b * b);
            case SIGMOID_BACKWARD -> a * b * (1.0 - b);
            case LEAKY_RELU_BACKWARD -> b > 0 ? a : p * a;
            case BCE_WITH_LOGITS -> Scalars.softplus(a) - a * b;
            case BCE_WITH_LOGITS_BACKWARD -> Scalars.sigmoid(a) - b;
        };
    }
}
