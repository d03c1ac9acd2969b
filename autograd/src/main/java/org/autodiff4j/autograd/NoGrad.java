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
public final class NoGrad extends ThreadScope {
    private static final ThreadLocal<int[]> DEPTH = newDepth();

    private NoGrad() {
        super(DEPTH);
    }

    /**
     * Enters a no-grad scope on this thread; close it to leave.
     *
     * @return the scope, to close with try-with-resources
     */
    public static NoGrad enter() {
        return new NoGrad();
    }

    /**
     * True while any no-grad scope is open on this thread.
     *
     * @return true while any no-grad scope is open on this thread
     */
    public static boolean isActive() {
        return active(DEPTH);
    }
}
