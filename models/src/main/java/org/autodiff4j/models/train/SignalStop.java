package org.autodiff4j.models.train;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Ctrl-C and SIGTERM ask the loop to stop; the JVM's exit then waits until the checkpoint is written. */
final class SignalStop implements AutoCloseable {
    /** How many loops of this JVM are running with Ctrl-C and SIGTERM handled (signals are the process's). */
    private static final AtomicInteger SIGNAL_STOPS = new AtomicInteger();
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;

    SignalStop(TrainLoop loop) {
        SIGNAL_STOPS.incrementAndGet();
        hook = new Thread(() -> {
            loop.requestStop();
            try {
                done.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "autodiff4j-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Whether a loop of this JVM handles Ctrl-C now. */
    static boolean active() {
        return SIGNAL_STOPS.get() > 0;
    }

    @Override
    public void close() {
        SIGNAL_STOPS.decrementAndGet();
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running and now returns
        }
    }
}
