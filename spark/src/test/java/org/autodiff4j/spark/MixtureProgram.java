package org.autodiff4j.spark;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import org.autodiff4j.runs.MixtureExperiment;
import org.autodiff4j.runs.RunFolder;
import org.autodiff4j.runs.jobs.CommandLineProgram;

/** The mixture benchmark as a trial's program: {@code gan-mixture --steps N --seed S --output DIR}, as the CLI runs it. */
public final class MixtureProgram implements CommandLineProgram {
    /** Makes the program; executors make it by reflection. */
    public MixtureProgram() {
    }

    @Override
    public int run(PrintStream out, String... args) {
        List<String> a = List.of(args);
        try {
            MixtureExperiment.Settings s = MixtureExperiment.Settings.builder()
                    .steps(Integer.parseInt(a.get(a.indexOf("--steps") + 1)))
                    .seed(Long.parseLong(a.get(a.indexOf("--seed") + 1))).samples(500).build();
            MixtureExperiment.run(s, new RunFolder(Path.of(a.get(a.indexOf("--output") + 1))), out);
            return 0;
        } catch (Exception e) {
            e.printStackTrace(out);
            return 1;
        }
    }
}
