package org.autodiff4j.tensor;

import java.util.SplittableRandom;

/**
 * A seeded source of random numbers. Every random tensor takes one explicitly; there is no global
 * generator. The same seed gives the same numbers on every machine. Not thread-safe: give each
 * thread its own, e.g. from {@link #split()}.
 */
public final class Generator {
    private final SplittableRandom random;

    /** A generator seeded with {@code seed}. */
    public Generator(long seed) {
        this(new SplittableRandom(seed));
    }

    private Generator(SplittableRandom random) {
        this.random = random;
    }

    /** A new independent generator derived from this one (advances this one). */
    public Generator split() {
        return new Generator(random.split());
    }

    /** Uniform on [0, 1). */
    public double nextDouble() {
        return random.nextDouble();
    }

    /** Uniform integer on [0, bound). */
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** Standard normal N(0, 1). */
    public double nextGaussian() {
        return random.nextGaussian();
    }

    /** A uniformly random permutation of {@code 0..n-1} (Fisher-Yates). */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
