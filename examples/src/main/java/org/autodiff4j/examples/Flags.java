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
}
