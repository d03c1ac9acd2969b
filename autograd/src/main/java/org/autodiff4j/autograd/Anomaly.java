package org.autodiff4j.autograd;

import org.autodiff4j.tensor.Tensor;

/**
 * Anomaly detection, like PyTorch's {@code torch.autograd.detect_anomaly()}: inside the scope every
 * op's forward value and every gradient its backward produces is checked, and the first NaN or
 * infinity throws an {@link AnomalyException} naming the op and the element. Thread-local, nestable;
 * it costs a pass over every value, so it is for finding a fault, not for every run:
 * <pre>{@code
 * try (Anomaly ignored = Anomaly.detect()) {
 *     loss = model.loss(x, g).loss();
 *     loss.backward();
 * }
 * }</pre>
 */
public final class Anomaly extends ThreadScope {
    private static final ThreadLocal<int[]> DEPTH = newDepth();

    private Anomaly() {
        super(DEPTH);
    }

    /**
     * Enters a detection scope on this thread; close it to leave.
     *
     * @return the scope, to close with try-with-resources
     */
    public static Anomaly detect() {
        return new Anomaly();
    }

    /**
     * True while a detection scope is open on this thread.
     *
     * @return true while a detection scope is open on this thread
     */
    public static boolean isActive() {
        return active(DEPTH);
    }

    /** Thrown where a NaN or infinity first appears. */
    public static final class AnomalyException extends ArithmeticException {
        private static final long serialVersionUID = 1L;

        AnomalyException(String message) {
            super(message);
        }
    }

    /** Throws when {@code t} holds a NaN or infinity; {@code what} says which value it is. */
    static void check(Tensor t, String what) {
        if (!isActive()) {
            return;
        }
        int i = t.firstNonFinite();
        if (i >= 0) {
            double v = t.getFlat(i);
            throw new AnomalyException(what + " has " + (Double.isNaN(v) ? "NaN" : v > 0 ? "+infinity" : "-infinity")
                    + " at flat index " + i + " of shape " + t.shape());
        }
    }
}
