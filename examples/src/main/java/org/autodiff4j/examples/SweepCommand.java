package org.autodiff4j.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.autodiff4j.runs.jobs.Sweep;
import org.autodiff4j.runs.jobs.SweepSpec;
import org.autodiff4j.runs.jobs.TaskExecutor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/** {@code sweep}: a grid of a training command's flags times seeds, read from the command line, then {@link Sweep}. */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a training command over a grid of its flags and seeds, each trial a run folder, with one summary.",
            "Example: sweep train-vae --lr 1e-3,3e-4 --seeds 0-9 --epochs 30",
            "A flag with comma-separated values is a grid axis; for a flag that takes a list itself (--hidden) "
                    + "separate the values with / (--hidden 128,128/256,256). Run it again (or --resume --output DIR) "
                    + "to continue: finished trials are kept, unfinished ones continue from their checkpoints."},
        synopsisHeading = "Usage: ", customSynopsis = "sweep COMMAND [COMMAND'S FLAGS] [--seeds A-B|A,B,...] [OPTIONS]")
final class SweepCommand implements Callable<Integer> {
    /** The commands a sweep may run. */
    static final List<String> COMMANDS = List.of("train-vae", "train-gan", "gan-mixture");

    @Option(names = "--seeds", description = "seeds: a range A-B or a list A,B,...; each trial gets --seed S")
    String seeds;

    @Option(names = "--objective", paramLabel = "NAME[:min|max]", description = "the figure that ranks settings "
            + "(default: test_iw_nll, fid or modes_covered, whichever the trials have)")
    String objective;

    @Option(names = "--executor", description = "local (default: processes on this machine) or spark")
    String executor = "local";

    @Option(names = "--master", paramLabel = "URL", description = "spark: the master, e.g. spark://host:7077 or local[2]")
    String master;

    @Option(names = "--parallel", description = "local: trials at once (default: one per core)")
    int parallel = 0;

    @Option(names = "--output", paramLabel = "DIR", description = "the sweep's folder (default: runs/sweep-COMMAND-DATE-TIME)")
    Path output;

    @Option(names = "--spec", paramLabel = "FILE", description = "read the command and its flags from FILE (whitespace-"
            + "separated, # starts a comment), before any given here")
    Path spec;

    @Option(names = "--resume", description = "continue the sweep in --output with the command line it recorded")
    boolean resume;

    @Unmatched
    List<String> rest = new ArrayList<>();

    private final PrintStream log;

    SweepCommand(PrintStream log) {
        this.log = log;
    }

    @Override
    public Integer call() throws IOException {
        List<String> line = new ArrayList<>();
        String seedList = seeds;
        if (resume) {
            if (output == null || spec != null || !rest.isEmpty() || seeds != null) {
                throw new IllegalArgumentException("--resume takes only --output (the sweep's folder) and where to run "
                        + "(--executor, --master, --parallel, --objective)");
            }
            line.addAll(Sweep.recordedCommandLine(output));
            seedList = SweepSpec.takeSeeds(line);
        }
        if (spec != null) {
            line.addAll(SweepSpec.readWords(spec));
            String fromFile = SweepSpec.takeSeeds(line);
            if (fromFile != null && seedList != null) {
                throw new IllegalArgumentException("--seeds is given both in --spec " + spec + " and on the command line");
            }
            seedList = fromFile != null ? fromFile : seedList;
        }
        line.addAll(rest);
        if (line.isEmpty()) {
            throw new IllegalArgumentException("a command to sweep is needed (" + String.join(", ", COMMANDS)
                    + "), e.g. sweep train-vae --lr 1e-3,3e-4 --seeds 0-9");
        }
        String command = line.get(0);
        if (!COMMANDS.contains(command)) {
            throw new IllegalArgumentException("cannot sweep '" + command + "' (allowed: " + String.join(", ", COMMANDS) + ")");
        }
        CommandLine.Model.CommandSpec target = Main.commandLine(log).getSubcommands().get(command).getCommandSpec();
        SweepSpec grid = SweepSpec.parse(command, line.subList(1, line.size()), seedList, flag -> {
            CommandLine.Model.OptionSpec o = target.findOption(flag);
            return o != null && !o.splitRegex().isEmpty();
        });
        for (SweepSpec.Trial t : grid.trials()) { // every trial's flags, before any runs
            List<String> args = new ArrayList<>(List.of(command));
            args.addAll(t.args());
            try {
                Main.commandLine(log).parseArgs(args.toArray(String[]::new));
            } catch (CommandLine.ParameterException e) {
                throw new IllegalArgumentException("trial " + t.id() + ": " + command + ": "
                        + Main.oneLine(e.getMessage()));
            }
        }
        if (parallel < 0) {
            throw new IllegalArgumentException("--parallel must be at least 0, got " + parallel);
        }
        Path dir = output != null ? output : Path.of("runs", "sweep-" + command + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        try (TaskExecutor ex = TaskExecutor.named(executor, master, parallel, dir.resolve("logs"), false)) {
            Sweep.run(grid, objective == null ? null : Sweep.Objective.parse(objective), dir, ex, Main.Program.class, log);
        }
        return 0;
    }
}
