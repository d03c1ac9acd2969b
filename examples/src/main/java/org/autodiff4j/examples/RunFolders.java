package org.autodiff4j.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.autodiff4j.runs.RunFolder;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The rules for run folders: a new run never writes into one that holds files; a resumed run re-reads its settings. */
final class RunFolders {
    /**
     * Checks that {@code dir} does not exist or is empty (but for the temporary files of writes a killed run left,
     * which go), so that a new run overwrites nothing.
     *
     * @throws IllegalArgumentException naming the folder and some of its files
     */
    static void requireEmpty(Path dir, String checkpoint) throws IOException {
        RunFolder folder = new RunFolder(dir);
        RunFolder.Contents contents;
        try {
            contents = folder.contents(checkpoint);
        } catch (IllegalArgumentException notAFolder) {
            throw new IllegalArgumentException("--output " + notAFolder.getMessage());
        }
        if (contents == RunFolder.Contents.STARTED) {
            throw new IllegalArgumentException("--output " + dir + " holds a run stopped before its first checkpoint; "
                    + "--resume starts it again from the beginning with its settings, or choose another folder");
        }
        if (contents == RunFolder.Contents.USED) {
            List<String> names = folder.names(4);
            throw new IllegalArgumentException("--output " + dir + " already holds files (" + String.join(", ", names)
                    + (names.size() == 4 ? ", ..." : "") + "); continue that run with --resume, or choose another folder");
        }
    }

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
        RunFolder folder = new RunFolder(output);
        folder.contents(checkpoint); // deletes what killed writes left
        Map<String, String> recorded = folder.recordedArguments(checkpoint);
        if (recorded == null) {
            throw new IllegalArgumentException("--resume: " + output.resolve(checkpoint) + " does not exist (is --output the "
                    + "folder of a " + command + " run?)");
        }
        Path source = Files.isRegularFile(output.resolve(checkpoint)) ? output.resolve(checkpoint)
                : output.resolve(RunFolder.ARGUMENTS);
        return savedArguments(recorded, source, command);
    }

    /**
     * The arguments a checkpoint's run started with, without {@code --output} (the folder is given again).
     *
     * @throws IOException naming the file when it was not written by {@code command} or the entry is damaged
     */
    static List<String> savedArguments(Map<String, String> metadata, Path file, String command) throws IOException {
        if (!command.equals(metadata.get(RunFolder.COMMAND_KEY))) {
            throw new IOException(file + ": not a checkpoint of a " + command + " run (it records '"
                    + metadata.get(RunFolder.COMMAND_KEY) + "')");
        }
        List<String> args;
        try {
            args = new ObjectMapper().readValue(metadata.get(RunFolder.ARGS_KEY), new TypeReference<List<String>>() { });
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException(file + ": the '" + RunFolder.ARGS_KEY + "' entry is damaged: " + e.getMessage(), e);
        }
        List<String> kept = new java.util.ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--output")) {
                i++;
            } else if (!a.startsWith("--output=")) {
                kept.add(a);
            }
        }
        return kept;
    }
}
