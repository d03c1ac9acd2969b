package org.autodiff4j.examples;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns Ctrl-C (SIGINT, SIGTERM) into a request that a training loop sees after its current step: the
 * JVM's shutdown waits (up to a minute) until the loop has written its checkpoint and closed this.
 */
final class StopOnSignal implements AutoCloseable {
    private final AtomicBoolean requested = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    StopOnSignal(PrintStream log) {
        hook = new Thread(() -> {
            requested.set(true);
            log.println("autodiff4j: stopping after the current step and writing a checkpoint...");
            try {
                finished.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "autodiff4j-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Whether a stop was requested. */
    boolean requested() {
        return requested.get();
    }

    /** Lets a pending shutdown go on, or removes the hook when there is none. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running and now returns
        }
    }
}
