package org.autodiff4j.onednn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.autodiff4j.tensor.ConvolutionShape;
import org.junit.jupiter.api.Test;

/** A thread's plans (and with them oneDNN's buffers) are freed once the thread has ended. */
class ThreadPlansTest {
    @Test
    void theThreadsPlans_areClosedAfterItEnds() throws InterruptedException {
        OneDnnRoute route = new OneDnnRoute();
        assertEquals(null, route.unavailable());
        ConvolutionShape s = new ConvolutionShape(3, 5, 9, 9, 7, 3, 3, 1, 1, 1, 1, 2, 2);
        float[] x = new float[3 * 5 * 9 * 9];
        float[] w = new float[7 * 5 * 3 * 3];
        float[] y = new float[3 * 7 * 5 * 5];
        int before = Plan.open();
        Thread t = new Thread(() -> {
            route.forward(s, x, w, y);
            route.backwardData(s, y, w, x);
            route.backwardWeights(s, x, y, w);
        });
        t.start();
        t.join();
        assertTrue(Plan.open() >= before + 3, "three plans made on the thread: " + before + " -> " + Plan.open());
        for (int i = 0; i < 200 && Plan.open() > before; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertEquals(before, Plan.open(), "plans left open after the thread ended");
    }
}
