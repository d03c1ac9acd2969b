package org.autodiff4j.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the command line in-process for tests and captures its status, standard output and standard error. */
final class Cli {
    private Cli() {
    }

    /** What one command printed and returned. */
    record Result(int status, String out, String err) {
    }

    static Result run(String... args) {
        // The BLAS route is chosen once per process and may print its fallback warning then: not the command's.
        org.autodiff4j.tensor.Blas.ensureLoaded();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldErr = System.err;
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setErr(e);
            status = Main.run(o, args);
        } finally {
            System.setErr(oldErr);
        }
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
