package org.autodiff4j.nn;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes files so that a reader never sees half of one: the bytes go to a temporary file in the same
 * folder, which is then renamed over the target (atomically where the file system allows).
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /**
     * A new empty temporary file beside {@code target}, creating the folder if needed.
     *
     * @param target the file that will be written
     * @return a new empty temporary file beside {@code target}, creating the folder if needed
     * @throws IOException when the folder or the file cannot be created
     */
    public static Path temporaryFor(Path target) throws IOException {
        requireReplaceable(target);
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        return Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
    }

    /**
     * Checks that {@code target} is absent or a regular file: a device (such as {@code /dev/full}), a FIFO, a folder or
     * a symbolic link (even to a regular file) is never replaced, so a mistyped output cannot destroy one.
     *
     * @param target the file that is about to be written
     * @throws IOException naming the file and what it is, before anything is written
     */
    public static void requireReplaceable(Path target) throws IOException {
        if (Files.isSymbolicLink(target)) {
            throw new IOException(target + ": is a symbolic link; outputs are written only as regular files and a link "
                    + "is never replaced (give the path it points to); nothing was written");
        }
        if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                && !Files.isRegularFile(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            String what = Files.isDirectory(target, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? "a folder"
                    : "not a regular file (a device or a FIFO)";
            throw new IOException(target + ": is " + what + "; outputs are written only as regular files; nothing was "
                    + "written");
        }
    }

    /**
     * Renames {@code tmp} over {@code target}, atomically when the file system supports it. The file gets
     * the permissions of an ordinary new file ({@code rw-r--r--}) rather than the temporary file's private ones.
     *
     * @param tmp the temporary file
     * @param target the file to replace
     * @throws IOException when the rename fails (the temporary file is then deleted)
     */
    public static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException notPosix) {
            // keep what the file system gave it
        }
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Writes {@code bytes} to {@code target} through a temporary file; nothing is left behind on failure.
     *
     * @param target the file to write
     * @param bytes the whole content
     * @return {@code target}
     * @throws IOException when writing or renaming fails
     */
    public static Path write(Path target, byte[] bytes) throws IOException {
        requireReplaceable(target);
        try {
            Path tmp = temporaryFor(target);
            try {
                Files.write(tmp, bytes);
                moveIntoPlace(tmp, target);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw cannotWrite(target, e);
        }
        return target;
    }

    /**
     * The one message for a write that failed (a full disk, a folder without write permission), naming the
     * file and saying that what was there before is unchanged.
     *
     * @param target the file that was being written
     * @param cause the failure
     * @return an exception to throw
     */
    public static IOException cannotWrite(Path target, IOException cause) {
        if (cause.getMessage() != null && cause.getMessage().startsWith(target + ": cannot be written")) {
            return cause;
        }
        String why = cause instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : cause.getMessage() == null ? cause.toString() : cause.getMessage();
        return new IOException(target + ": cannot be written (" + why + "); the file as it was before is unchanged", cause);
    }
}
