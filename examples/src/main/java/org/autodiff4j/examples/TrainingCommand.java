package org.autodiff4j.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.autodiff4j.models.data.Datasets;
import org.autodiff4j.models.train.TrainLoop;
import org.autodiff4j.models.train.TrainingStopped;
import org.autodiff4j.runs.RunFolder;
import org.autodiff4j.runs.VaeExperiment;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What train-vae, train-gan and gan-mixture share: a new run goes into an empty folder; {@code --resume} re-reads the
 * run's own arguments from its checkpoint; Ctrl-C ends with status 130 after the checkpoint is written.
 */
abstract class TrainingCommand implements Callable<Integer> {
    @Mixin
    RunOptions run = new RunOptions();

    @Spec
    CommandSpec spec;

    final PrintStream log;

    TrainingCommand(PrintStream log) {
        this.log = log;
    }

    /** The command's name, e.g. {@code train-vae}. */
    abstract String name();

    /** A fresh instance to parse a resumed run's saved arguments into. */
    abstract TrainingCommand fresh();

    /** The run folder when no {@code --output} is given: {@code runs/KIND-DATE-TIME}. */
    Path defaultOutput() {
        return Path.of("runs", name().replace("train-", "") + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /** Rejects out-of-range values before any work, naming the flag. */
    abstract void validate();

    /** Runs the experiment into {@code out}, or continues it from {@code resumeFrom} (null to start). */
    abstract void train(Datasets sets, RunFolder out, Map<String, String> runMetadata, Path resumeFrom) throws IOException;

    @Override
    public Integer call() throws IOException {
        TrainingCommand cmd = this;
        List<String> args;
        Path resumeFrom = null;
        if (run.resume) {
            args = RunFolders.argumentsToResume(spec, run.output, VaeExperiment.CHECKPOINT, name(), "--data-dir",
                    "--detect-anomaly");
            cmd = fresh();
            new CommandLine(cmd).parseArgs(args.toArray(String[]::new));
            cmd.run.dataDir = run.dataDir != null ? run.dataDir : cmd.run.dataDir;
            cmd.run.detectAnomaly = run.detectAnomaly;
            cmd.run.output = run.output;
            resumeFrom = run.output.resolve(VaeExperiment.CHECKPOINT);
            if (!java.nio.file.Files.isRegularFile(resumeFrom)) {
                log.println("no checkpoint in " + run.output + " yet: the run starts again from its beginning");
                resumeFrom = null;
            }
        } else {
            args = RunFolders.ownArguments(spec);
            if (run.output == null) {
                run.output = defaultOutput();
            }
            new RunFolder(run.output).requireNew(VaeExperiment.CHECKPOINT);
        }
        cmd.run.validate();
        cmd.validate();
        RunFolder out = new RunFolder(cmd.run.output);
        RunFolder.Lock lock = out.lock(); // refused, naming the other process, while another run uses the folder
        try (lock) {
            if (!run.resume) {
                new RunFolder(run.output).requireNew(VaeExperiment.CHECKPOINT); // again, now that no other run can start
            }
            return trainLocked(cmd, out, args, resumeFrom);
        } catch (IOException | RuntimeException e) {
            out.removeIfOnlyArguments(); // a run refused or failed before its first output leaves nothing
            throw e;
        }
    }

    private Integer trainLocked(TrainingCommand cmd, RunFolder out, List<String> args, Path resumeFrom) throws IOException {
        Map<String, String> argsMetadata = RunFolder.argumentsMetadata(name(), args);
        if (resumeFrom == null) {
            out.recordArguments(argsMetadata);
        }
        // Ctrl-C outside the training loop (loading data, the final evaluation and pictures): say what is left
        String resume = ": ./autodiff4j " + name() + " --resume --output " + out.dir();
        try (TrainLoop.StopNotice ignored = TrainLoop.StopNotice.install(() -> log.println("stopped before the run's end; "
                + (java.nio.file.Files.exists(out.dir().resolve(VaeExperiment.CHECKPOINT)) ? "its last checkpoint is kept"
                : "it has no checkpoint yet") + resume))) {
            try { // inside the notice: its close lets the JVM exit, after the stop line below
                cmd.train(Datasets.standard(cmd.run.dataDir), out, argsMetadata, resumeFrom);
                return 0;
            } catch (TrainingStopped e) {
                log.println(e.getMessage() + resume);
                return 130;
            }
        }
    }
}
