package org.autodiff4j.runs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.autodiff4j.nn.AtomicFiles;
import org.autodiff4j.nn.SafeTensors;
import org.autodiff4j.tensor.Tensor;

/** A run's folder: every file (pictures, CSV, JSON, the report) is written to a temporary name and renamed. */
public final class RunFolder {
    private final Path dir;

    /**
     * The folder {@code dir}, created with the first file written into it (so a run that fails before
     * writing anything leaves no folder behind).
     *
     * @param dir the folder
     */
    public RunFolder(Path dir) {
        this.dir = dir;
    }

    /**
     * The folder.
     *
     * @return its path
     */
    public Path dir() {
        return dir;
    }

    /**
     * Writes bytes to a file of the folder atomically.
     *
     * @param name  the file's name within the folder
     * @param bytes the whole content
     * @return the file's path
     * @throws IOException when writing or renaming fails
     */
    public Path write(String name, byte[] bytes) throws IOException {
        return AtomicFiles.write(dir.resolve(name), bytes);
    }

    /**
     * Writes UTF-8 text to a file of the folder atomically.
     *
     * @param name the file's name within the folder
     * @param text the whole content
     * @return the file's path
     * @throws IOException when writing or renaming fails
     */
    public Path writeText(String name, String text) throws IOException {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes an image grid as PNG; see {@link ImageGrid#png}.
     *
     * @param name    the file's name within the folder
     * @param images  images as rows [n, height * width], values in [0, 1]
     * @param height  pixel rows per image
     * @param width   pixel columns per image
     * @param columns images per row of the grid
     * @param scale   how many times each pixel is enlarged
     * @return the file's path
     * @throws IOException when writing fails
     */
    public Path imageGrid(String name, Tensor images, int height, int width, int columns, int scale) throws IOException {
        return write(name, ImageGrid.png(images, height, width, columns, scale));
    }

    /** The file a run writes first: its command and arguments, so that it can be resumed before its first checkpoint. */
    public static final String ARGUMENTS = "run-args.json";
    /** The metadata key (in {@link #ARGUMENTS} and in checkpoints) of the command that started the run. */
    public static final String COMMAND_KEY = "run.command";
    /** The metadata key of that command's arguments, a JSON array of strings. */
    public static final String ARGS_KEY = "run.args";

    /** What a folder holds, for starting a run in it. */
    public enum Contents {
        /** Nothing (or no folder yet): a new run may start. */
        EMPTY,
        /** The arguments of a run stopped before its first checkpoint, and what it wrote before then. */
        STARTED,
        /** Other files: a run that can be resumed from its checkpoint, or something else. */
        USED
    }

    /**
     * What the folder holds, after deleting the temporary files ({@code *.tmp}) that writes of a killed run left.
     *
     * @param checkpoint the name of the run's checkpoint file
     * @return what the folder holds
     * @throws IOException when the folder cannot be read
     * @throws IllegalArgumentException when the path is a file
     */
    public Contents contents(String checkpoint) throws IOException {
        if (!Files.isDirectory(dir)) {
            if (Files.exists(dir)) {
                throw new IllegalArgumentException(dir + " is a file, not a folder");
            }
            return Contents.EMPTY;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()) {
                Files.deleteIfExists(p);
            }
        }
        if (Files.isRegularFile(dir.resolve(ARGUMENTS)) && !Files.exists(dir.resolve(checkpoint))) {
            return Contents.STARTED;
        }
        return names(1).isEmpty() ? Contents.EMPTY : Contents.USED;
    }

    /**
     * The first {@code max} file names in the folder, sorted, for messages.
     *
     * @param max how many at most
     * @return the names
     * @throws IOException when the folder cannot be read
     */
    public List<String> names(int max) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.equals(LOCK)).sorted().limit(max).toList();
        }
    }

    /** The lock file's name: {@link #lock} holds an operating-system lock on it. */
    public static final String LOCK = ".lock";

    /** The hold of one process on a run folder; {@link #close} lets it go. */
    public static final class Lock implements AutoCloseable {
        private final java.nio.channels.FileChannel channel;

        private Lock(java.nio.channels.FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void close() throws IOException {
            channel.close(); // releases the lock
        }
    }

    /**
     * Takes the folder for this process (creating it): an operating-system lock on {@link #LOCK}, which the system
     * drops when the process ends, however it ends, so a killed run never leaves the folder stuck.
     *
     * @return the hold, to close when done
     * @throws IllegalArgumentException naming the folder and the process when another process holds it
     * @throws IOException when the folder or the lock file cannot be created
     */
    public Lock lock() throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(LOCK);
        java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE);
        java.nio.channels.FileLock held;
        try {
            held = ch.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException sameProcess) {
            held = null;
        }
        if (held == null) {
            String pid;
            try {
                pid = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.US_ASCII).strip();
            } catch (IOException e) {
                pid = "";
            }
            ch.close();
            throw new IllegalArgumentException("--output " + dir + " is in use by another run (process "
                    + (pid.isEmpty() ? "unknown" : pid) + "); wait for it to end or stop it first");
        }
        ch.truncate(0);
        ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        return new Lock(ch);
    }

    /**
     * The metadata entries that record a command and its arguments (for {@link #ARGUMENTS} and checkpoints).
     *
     * @param command the command's name
     * @param args its arguments
     * @return the entries
     */
    public static Map<String, String> argumentsMetadata(String command, List<String> args) {
        try {
            return Map.of(COMMAND_KEY, command, ARGS_KEY, JSON.writeValueAsString(args));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Records a new run's command and arguments in {@link #ARGUMENTS}, so that it can be resumed (from the start)
     * before its first checkpoint; {@link #recordedArguments} reads them back.
     *
     * @param metadata the entries of {@link #argumentsMetadata}
     * @throws IOException when the file cannot be written
     */
    public void recordArguments(Map<String, String> metadata) throws IOException {
        writeText(ARGUMENTS, JSON.writeValueAsString(metadata));
    }

    /**
     * The recorded command and arguments of the run in this folder: from its checkpoint when there is one, else
     * from {@link #ARGUMENTS}; null when there are neither.
     *
     * @param checkpoint the name of the run's checkpoint file
     * @return the entries {@link #COMMAND_KEY} and {@link #ARGS_KEY}, or null
     * @throws IOException naming the file when it is damaged
     */
    public Map<String, String> recordedArguments(String checkpoint) throws IOException {
        Path file = dir.resolve(checkpoint);
        if (Files.isRegularFile(file)) {
            return SafeTensors.read(file).metadata();
        }
        Path started = dir.resolve(ARGUMENTS);
        if (!Files.isRegularFile(started)) {
            return null;
        }
        try {
            return JSON.readValue(Files.readString(started), new TypeReference<Map<String, String>>() { });
        } catch (JacksonException e) {
            throw new IOException(started + ": damaged: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Checks that a new run may start here: the folder does not exist or is empty (but for the temporary files of
     * writes a killed run left, which go), so that a new run overwrites nothing.
     *
     * @param checkpoint the name of the run's checkpoint file
     * @throws IllegalArgumentException naming the folder and some of its files, or saying that it holds a run to resume
     * @throws IOException when the folder cannot be read
     */
    public void requireNew(String checkpoint) throws IOException {
        Contents held;
        try {
            held = contents(checkpoint);
        } catch (IllegalArgumentException notAFolder) {
            throw new IllegalArgumentException("--output " + notAFolder.getMessage());
        }
        if (held == Contents.STARTED) {
            throw new IllegalArgumentException("--output " + dir + " holds a run stopped before its first checkpoint; "
                    + "--resume starts it again from the beginning with its settings, or choose another folder");
        }
        if (held == Contents.USED) {
            List<String> some = names(4);
            throw new IllegalArgumentException("--output " + dir + " already holds files (" + String.join(", ", some)
                    + (some.size() == 4 ? ", ..." : "") + "); continue that run with --resume, or choose another folder");
        }
    }

    /**
     * The arguments the run in this folder started with, to resume it: read from its checkpoint, else from
     * {@link #ARGUMENTS}, without {@code --output} (the folder is given again). The inverse of
     * {@link #argumentsMetadata}.
     *
     * @param checkpoint the name of the run's checkpoint file
     * @param command    the command that must have started the run
     * @return the arguments
     * @throws IllegalArgumentException when the folder records no run
     * @throws IOException naming the file when it was not written by {@code command} or is damaged
     */
    public List<String> argumentsToResume(String checkpoint, String command) throws IOException {
        contents(checkpoint); // deletes what killed writes left
        Map<String, String> recorded = recordedArguments(checkpoint);
        if (recorded == null) {
            throw new IllegalArgumentException("--resume: " + dir.resolve(checkpoint) + " does not exist (is --output the "
                    + "folder of a " + command + " run?)");
        }
        Path file = Files.isRegularFile(dir.resolve(checkpoint)) ? dir.resolve(checkpoint) : dir.resolve(ARGUMENTS);
        if (!command.equals(recorded.get(COMMAND_KEY))) {
            throw new IOException(file + ": not a checkpoint of a " + command + " run (it records '"
                    + recorded.get(COMMAND_KEY) + "')");
        }
        List<String> args;
        try {
            args = JSON.readValue(recorded.get(ARGS_KEY), new TypeReference<List<String>>() { });
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException(file + ": the '" + ARGS_KEY + "' entry is damaged: " + e.getMessage(), e);
        }
        List<String> kept = new ArrayList<>();
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

    /**
     * Deletes the folder when all it holds is {@link #ARGUMENTS}: a run that failed before its first output
     * leaves nothing behind.
     *
     * @throws IOException when the folder cannot be read or deleted
     */
    public void removeIfOnlyArguments() throws IOException {
        if (Files.isDirectory(dir) && names(2).equals(List.of(ARGUMENTS))) {
            Files.delete(dir.resolve(ARGUMENTS));
            Files.deleteIfExists(dir.resolve(LOCK));
            Files.delete(dir);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
}
