package org.autodiff4j.examples;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** The options every training command shares: data, seed, run folder, checkpoints, resume, anomaly mode, smoke runs. */
final class RunOptions {
    @Option(names = "--data-dir", paramLabel = "DIR", description = "folder holding the data sets (DIR/NAME/ or DIR/)")
    Path dataDir;

    @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--output", paramLabel = "DIR", description = "run folder (default: runs/KIND-DATE-TIME)")
    Path output;

    @Option(names = "--checkpoint-every", paramLabel = "STEPS", description = "write the resumable checkpoint.safetensors "
            + "every this many steps; it is also written at the end and on Ctrl-C (default: ${DEFAULT-VALUE}; 0: only then)")
    int checkpointEvery = 1000;

    @Option(names = "--resume", description = "continue the run in --output from its checkpoint.safetensors, with its "
            + "settings (only --data-dir and --detect-anomaly may be given again)")
    boolean resume;

    @Option(names = "--detect-anomaly", description = "check every op's values and gradients and name the first to "
            + "produce NaN or infinity (slower)")
    boolean detectAnomaly;

    @Option(names = "--quick", description = "a smoke run: a few steps, small evaluations")
    boolean quick;

    /** Rejects out-of-range values, naming the flag. */
    void validate() {
        Flags.atLeast("--checkpoint-every", checkpointEvery, 0);
    }
}
