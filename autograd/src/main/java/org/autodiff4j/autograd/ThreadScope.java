package org.autodiff4j.autograd;

/**
 * The mechanism behind {@link NoGrad} and {@link Anomaly}: a per-thread depth counter raised by
 * opening a scope and lowered by closing it (once), so scopes nest and threads do not interfere.
 */
abstract class ThreadScope implements AutoCloseable {
    private final ThreadLocal<int[]> depth;
    private boolean closed;

    ThreadScope(ThreadLocal<int[]> depth) {
        this.depth = depth;
        depth.get()[0]++;
    }

    static ThreadLocal<int[]> newDepth() {
        return ThreadLocal.withInitial(() -> new int[1]);
    }

    static boolean active(ThreadLocal<int[]> depth) {
        return depth.get()[0] > 0;
    }

    /** Leaves the scope; closing twice has no further effect. */
    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            depth.get()[0]--;
        }
    }
}
