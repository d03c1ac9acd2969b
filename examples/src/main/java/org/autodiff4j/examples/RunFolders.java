package org.autodiff4j.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.autodiff4j.runs.RunFolder;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The command line's side of {@link RunFolder}'s rules: which flags a resume may take, and a command's own arguments. */
final class RunFolders {
    /**
     * Checks that no option besides {@code allowed} was given on the command line.
     *
     * @throws IllegalArgumentException naming the first other option
     */
    static void onlyGiven(CommandSpec spec, String... allowed) {
        if (spec == null) {
            return;
        }
        List<String> ok = List.of(allowed);
        for (OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            if (!ok.contains(o.longestName())) {
                throw new IllegalArgumentException(o.longestName() + " cannot be combined with --resume: a resumed run "
                        + "keeps the settings it started with (only " + String.join(", ", ok.subList(1, ok.size()))
                        + " may be given)");
            }
        }
    }

    /** The arguments given to the command of {@code spec}, after its name (none without a spec). */
    static List<String> ownArguments(CommandSpec spec) {
        if (spec == null) {
            return List.of();
        }
        List<String> all = spec.commandLine().getParseResult().originalArgs();
        int at = all.indexOf(spec.name());
        return List.copyOf(all.subList(at + 1, all.size()));
    }

    /**
     * The arguments of the run in {@code output} to resume, read from its checkpoint, after checking that
     * only {@code --output} and the {@code others} were given with {@code --resume}.
     *
     * @throws IllegalArgumentException when --output is missing, another option was given or there is no checkpoint
     * @throws IOException naming the checkpoint when it is damaged or from another command
     */
    static List<String> argumentsToResume(CommandSpec spec, Path output, String checkpoint, String command,
                                          String... others) throws IOException {
        if (output == null) {
            throw new IllegalArgumentException("--resume needs --output, the folder of the run to continue");
        }
        String[] allowed = new String[others.length + 2];
        allowed[0] = "--resume";
        allowed[1] = "--output";
        System.arraycopy(others, 0, allowed, 2, others.length);
        onlyGiven(spec, allowed);
        return new RunFolder(output).argumentsToResume(checkpoint, command);
    }
}
