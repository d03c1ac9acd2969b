package org.autodiff4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class GeneratorTest {

    @Test
    void uniformStream_isSplittableRandomBitForBit() {
        for (long seed : new long[] {0, 1, -7, 123456789}) {
            Generator g = new Generator(seed);
            SplittableRandom r = new SplittableRandom(seed);
            for (int i = 0; i < 1000; i++) {
                assertEquals(r.nextLong(), g.nextLong());
                assertEquals(r.nextDouble(), g.nextDouble());
                int bound = 1 + (i * 7919) % 100_000;
                assertEquals(r.nextInt(bound), g.nextInt(bound), "bound " + bound);
                assertEquals(r.nextInt(1 << (i % 31)), g.nextInt(1 << (i % 31)));
            }
            Generator gs = g.split();
            SplittableRandom rs = r.split();
            for (int i = 0; i < 100; i++) {
                assertEquals(rs.nextLong(), gs.nextLong());
                assertEquals(r.nextLong(), g.nextLong());
            }
        }
    }

    @Test
    void splitAt_isTheIndexthSplitWithoutAdvancing() {
        Generator g = new Generator(42);
        g.nextGaussian();
        Generator.State before = g.state();
        Generator[] at = new Generator[50];
        for (int i = 49; i >= 0; i--) { // any order
            at[i] = g.splitAt(i);
        }
        assertEquals(before, g.state());
        for (int i = 0; i < 50; i++) {
            Generator s = g.split();
            for (int j = 0; j < 10; j++) {
                assertEquals(s.nextLong(), at[i].nextLong(), "split " + i);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> g.splitAt(-1));
    }

    @Test
    void state_resumesTheStreamExactlyIncludingTheSpareNormal() {
        Generator g = new Generator(42);
        g.nextGaussian(); // leaves a spare
        Generator.State s = g.state();
        assertTrue(s.hasSpare());
        Generator resumed = Generator.fromState(Generator.State.parse(s.toString()));
        for (int i = 0; i < 1000; i++) {
            assertEquals(g.nextGaussian(), resumed.nextGaussian());
            assertEquals(g.nextInt(10), resumed.nextInt(10));
        }
    }

    @Test
    void gaussians_haveUnitMomentsAndBadStateIsRejected() {
        Generator g = new Generator(3);
        int n = 200_000;
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < n; i++) {
            double x = g.nextGaussian();
            sum += x;
            sq += x * x;
        }
        assertEquals(0, sum / n, 0.01);
        assertEquals(1, sq / n, 0.01);
        assertThrows(IllegalArgumentException.class, () -> Generator.State.parse("12:ab"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Generator.State.parse("1:2:-"));
        assertEquals("not a generator state: '1:2:-' (expected seed:gamma:spare in hex)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Generator(1).nextInt(0));
    }
}
