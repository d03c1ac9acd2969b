package org.autodiff4j.tensor;

/**
 * A seeded source of random numbers. Every random tensor takes one explicitly; there is no global
 * generator. The same seed gives the same numbers on every machine, and {@link #state()} captures
 * the position in the stream so that a checkpointed run resumes exactly. Not thread-safe: give each
 * thread its own, e.g. from {@link #split()}.
 *
 * <p>The uniform stream is SplitMix64 (Steele, Lea and Flood, OOPSLA 2014), bit for bit the
 * algorithm of {@link java.util.SplittableRandom}; normals come from Marsaglia's polar method, which
 * yields them in pairs (the second is kept for the next call and is part of the state).
 */
public final class Generator {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long seed;
    private final long gamma;
    private boolean hasSpare;
    private double spare;

    /** The position of a generator in its stream, for checkpoints. */
    public record State(long seed, long gamma, boolean hasSpare, double spare) {
        /** A compact text form, {@code seed:gamma:spare} in hex ({@code -} for no spare), for metadata. */
        @Override
        public String toString() {
            return Long.toHexString(seed) + ":" + Long.toHexString(gamma) + ":"
                    + (hasSpare ? Long.toHexString(Double.doubleToRawLongBits(spare)) : "-");
        }

        /**
         * Parses {@link #toString()}'s form.
         *
         * @param text a state as {@link #toString()} writes it
         * @return the state that {@code text} describes
         * @throws IllegalArgumentException naming the text when it is not that form or the gamma is even
         */
        public static State parse(String text) {
            String[] parts = text.split(":");
            try {
                if (parts.length == 3) {
                    long gamma = Long.parseUnsignedLong(parts[1], 16);
                    if ((gamma & 1) == 1) {
                        boolean has = !parts[2].equals("-");
                        return new State(Long.parseUnsignedLong(parts[0], 16), gamma, has,
                                has ? Double.longBitsToDouble(Long.parseUnsignedLong(parts[2], 16)) : 0.0);
                    }
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("not a generator state: '" + text + "' (expected seed:gamma:spare in hex)");
        }
    }

    /**
     * A generator seeded with {@code seed}.
     *
     * @param seed the seed
     */
    public Generator(long seed) {
        this(seed, GOLDEN_GAMMA);
    }

    private Generator(long seed, long gamma) {
        this.seed = seed;
        this.gamma = gamma;
    }

    /**
     * A generator that continues exactly where the one that gave {@code state} was.
     *
     * @param state the saved state
     * @return a generator that continues exactly where the one that gave {@code state} was
     */
    public static Generator fromState(State state) {
        if ((state.gamma() & 1) == 0) {
            throw new IllegalArgumentException("generator state has an even gamma: " + state);
        }
        Generator g = new Generator(state.seed(), state.gamma());
        g.hasSpare = state.hasSpare();
        g.spare = state.spare();
        return g;
    }

    /**
     * Moves this generator to {@code state}'s position (in place, so every holder of it continues from there).
     *
     * @param state the saved state
     * @throws IllegalArgumentException when the state's gamma is even (not from a generator)
     */
    public void setState(State state) {
        Generator g = fromState(state);
        if (g.gamma != gamma) {
            throw new IllegalArgumentException("generator state " + state + " belongs to another stream (gamma "
                    + Long.toHexString(gamma) + ")");
        }
        seed = g.seed;
        hasSpare = g.hasSpare;
        spare = g.spare;
    }

    /**
     * This generator's position in its stream.
     *
     * @return this generator's position in its stream
     */
    public State state() {
        return new State(seed, gamma, hasSpare, spare);
    }

    /**
     * A new independent generator derived from this one (advances this one).
     *
     * @return a new independent generator derived from this one (advances this one)
     */
    public Generator split() {
        return new Generator(nextLong(), mixGamma(nextSeed()));
    }

    /**
     * The generator the {@code index}-th call of {@link #split()} from this generator's position would give (counting
     * from 0), without advancing this one: so work split by example can draw each example's numbers from its own
     * stream, the same whichever process or order computes it.
     *
     * @param index which split, at least 0
     * @return that split's generator
     */
    public Generator splitAt(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("splitAt: index must be at least 0, got " + index);
        }
        return new Generator(mix64(seed + (2 * index + 1) * gamma), mixGamma(seed + (2 * index + 2) * gamma));
    }

    /**
     * 64 uniformly random bits.
     *
     * @return 64 uniformly random bits
     */
    public long nextLong() {
        return mix64(nextSeed());
    }

    /**
     * Uniform on [0, 1), with 53 random bits.
     *
     * @return a uniform draw on [0, 1) with 53 random bits
     */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /**
     * Uniform integer on [0, bound), without modulo bias.
     *
     * @param bound the exclusive upper bound
     * @return a uniform integer on [0, bound)
     * @throws IllegalArgumentException when {@code bound <= 0}
     */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        int r = mix32(nextSeed());
        int m = bound - 1;
        if ((bound & m) == 0) {
            return r & m;
        }
        for (int u = r >>> 1; u + m - (r = u % bound) < 0; u = mix32(nextSeed()) >>> 1) {
            // reject the top partial range of u
        }
        return r;
    }

    /**
     * Standard normal N(0, 1).
     *
     * @return a standard normal draw
     */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double scale = Math.sqrt(-2 * Math.log(s) / s);
        spare = v * scale;
        hasSpare = true;
        return u * scale;
    }

    /**
     * A uniformly random permutation of {@code 0..n-1} (Fisher-Yates).
     *
     * @param n the number of elements
     * @return a uniformly random permutation of {@code 0..n-1} (Fisher-Yates)
     */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private long nextSeed() {
        return seed += gamma;
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static int mix32(long z) {
        z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
        return (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32);
    }

    private static long mixGamma(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        z = (z ^ (z >>> 33)) | 1L;
        int n = Long.bitCount(z ^ (z >>> 1));
        return n < 24 ? z ^ 0xaaaaaaaaaaaaaaaaL : z;
    }
}
