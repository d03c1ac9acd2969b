package org.autodiff4j.autograd;

/**
 * A scope in which ops record no graph, like PyTorch's {@code torch.no_grad()}: results never
 * require grad. Thread-local and nestable:
 * <pre>{@code
 * try (NoGrad ignored = NoGrad.enter()) {
 *     Variable samples = model.decode(z);   // no graph, no saved tensors
 * }
 * }</pre>
 */
public final class NoGrad implements AutoCloseable {
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private boolean closed;

    private NoGrad() {
    }

    /** Enters a no-grad scope on this thread; close it to leave. */
    public static NoGrad enter() {
        DEPTH.get()[0]++;
        return new NoGrad();
    }

    /** True while any no-grad scope is open on this thread. */
    public static boolean isActive() {
        return DEPTH.get()[0] > 0;
    }

    /** Leaves the scope; closing twice has no further effect. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            DEPTH.get()[0]--;
        }
    }
}
