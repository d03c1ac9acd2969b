package org.autodiff4j.examples;

/** Range checks that name the flag, its value and what is allowed. */
final class Flags {
    private Flags() {
    }

    static void atLeast(String flag, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(flag + " must be at least " + min + ", got " + value);
        }
    }

    static void between(String flag, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(flag + " must be from " + min + " to " + max + ", got " + value);
        }
    }

    /** The largest batch a command takes: more than any data set here holds, small enough that no count overflows. */
    static final int MAX_BATCH = 1 << 20;

    static void atLeast(String flag, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(flag + " must be a number >= 0, got " + value);
        }
    }

    static void positive(String flag, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(flag + " must be a positive number, got " + value);
        }
    }

    static void oneOf(String flag, String value, java.util.List<String> allowed) {
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException(flag + ": unknown '" + value + "' (allowed: " + String.join(", ", allowed) + ")");
        }
    }

    /**
     * Rejects sizes whose model cannot be trained in this JVM's heap: parameters, gradients and Adam's two
     * moments take 16 bytes a parameter, and activations and data need room beside them.
     */
    static void fitsInMemory(String flags, long parameters) {
        long max = Runtime.getRuntime().maxMemory();
        if (parameters > max / 2 / 16) {
            throw new IllegalArgumentException(flags + ": a model of " + parameters + " parameters needs about "
                    + gigabytes(16 * parameters) + " for its parameters, gradients and Adam's state, and this JVM may"
                    + " use " + gigabytes(max) + " in all (AUTODIFF4J_JAVA_OPTS=-Xmx... gives it more)");
        }
    }

    static String gigabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f GB", bytes / 1e9);
    }

    /**
     * Refuses an output that is the input being read (the same file by another name included), and one that is not
     * a regular file, before any work.
     */
    static void notTheInput(String flag, java.nio.file.Path output, java.nio.file.Path input) throws java.io.IOException {
        if (output == null) {
            return;
        }
        if (java.nio.file.Files.exists(output) && java.nio.file.Files.exists(input)
                && java.nio.file.Files.isSameFile(output, input)) {
            throw new IllegalArgumentException(flag + " " + output + " is the checkpoint being read; give another file");
        }
        org.autodiff4j.nn.AtomicFiles.requireReplaceable(output);
    }
}
