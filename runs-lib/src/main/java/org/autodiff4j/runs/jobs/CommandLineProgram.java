package org.autodiff4j.runs.jobs;

import java.io.PrintStream;

/**
 * A command line run inside a process, as a sweep's trials run it: {@code autodiff4j}'s own commands, or a user's
 * program with the same conventions (an {@code --output} folder, {@code --resume --output} to continue a run from its
 * checkpoint, {@code results.json} or {@code metrics.json} with the run's figures). A public class with a public
 * no-argument constructor.
 */
public interface CommandLineProgram {
    /**
     * Runs one command line.
     *
     * @param out  where its output goes
     * @param args the command's name and its arguments
     * @return the exit status: 0 for success, 2 for bad arguments or input, 130 when stopped, 1 otherwise
     */
    int run(PrintStream out, String... args);
}
