package org.autodiff4j.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The rules for run folders: a new run never writes into one that holds files; a resumed run re-reads its settings. */
final class RunFolders {
    /** Checkpoint metadata key holding the command that wrote it. */
    static final String COMMAND_KEY = "run.command";
    /** Checkpoint metadata key holding that command's arguments as a JSON array. */
    static final String ARGS_KEY = "run.args";

    private RunFolders() {
    }

    /**
     * Checks that {@code dir} does not exist or is empty (but for the temporary files of writes a killed run left,
     * which go), so that a new run overwrites nothing.
     *
     * @throws IllegalArgumentException naming the folder and some of its files
     */
    static void requireEmpty(Path dir, String checkpoint) throws IOException {
        if (!Files.isDirectory(dir)) {
            if (Files.exists(dir)) {
                throw new IllegalArgumentException("--output " + dir + " is a file, not a folder");
            }
            return;
        }
        removeLeftovers(dir);
        if (Files.isRegularFile(dir.resolve(ARGS_FILE)) && !Files.exists(dir.resolve(checkpoint))) {
            throw new IllegalArgumentException("--output " + dir + " holds a run stopped before its first checkpoint; "
                    + "--resume starts it again from the beginning with its settings, or choose another folder");
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().limit(4).toList();
            if (!names.isEmpty()) {
                throw new IllegalArgumentException("--output " + dir + " already holds files (" + String.join(", ", names)
                        + (names.size() == 4 ? ", ..." : "") + "); continue that run with --resume, or choose another folder");
            }
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
        Path file = output.resolve(checkpoint);
        removeLeftovers(output);
        if (!Files.isRegularFile(file)) {
            Path started = output.resolve(ARGS_FILE);
            if (Files.isRegularFile(started)) { // stopped before its first checkpoint: it starts again
                try {
                    Map<String, String> saved = new ObjectMapper().readValue(Files.readString(started),
                            new TypeReference<Map<String, String>>() { });
                    return savedArguments(saved, started, command);
                } catch (com.fasterxml.jackson.core.JacksonException e) {
                    throw new IOException(started + ": damaged: " + e.getOriginalMessage(), e);
                }
            }
            throw new IllegalArgumentException("--resume: " + file + " does not exist (is --output the folder of a "
                    + command + " run?)");
        }
        return savedArguments(org.autodiff4j.nn.SafeTensors.read(file).metadata(), file, command);
    }

    /** The file a new run writes first: its command and arguments, for a resume before its first checkpoint. */
    static final String ARGS_FILE = "run-args.json";

    /** Deletes {@code dir} when all it holds is the {@link #ARGS_FILE} a new run wrote first. */
    static void removeIfOnlyArguments(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            if (files.map(p -> p.getFileName().toString()).toList().equals(List.of(ARGS_FILE))) {
                Files.delete(dir.resolve(ARGS_FILE));
                Files.delete(dir);
            }
        } catch (java.nio.file.NoSuchFileException gone) {
            // nothing was written
        }
    }

    /** Deletes the temporary files ({@code *.tmp}) of writes that a killed run left behind. */
    static void removeLeftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The metadata entries recording a command and its arguments. */
    static Map<String, String> argumentsMetadata(String command, List<String> args) {
        try {
            return Map.of(COMMAND_KEY, command, ARGS_KEY, new ObjectMapper().writeValueAsString(args));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The arguments a checkpoint's run started with, without {@code --output} (the folder is given again).
     *
     * @throws IOException naming the file when it was not written by {@code command} or the entry is damaged
     */
    static List<String> savedArguments(Map<String, String> metadata, Path file, String command) throws IOException {
        if (!command.equals(metadata.get(COMMAND_KEY))) {
            throw new IOException(file + ": not a checkpoint of a " + command + " run (it records '"
                    + metadata.get(COMMAND_KEY) + "')");
        }
        List<String> args;
        try {
            args = new ObjectMapper().readValue(metadata.get(ARGS_KEY), new TypeReference<List<String>>() { });
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException(file + ": the '" + ARGS_KEY + "' entry is damaged: " + e.getMessage(), e);
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
