package org.autodiff4j.nn;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that a reader never sees half of one: the bytes go to a temporary file in the same
 * folder, which is then renamed over the target (atomically where the file system allows).
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** A new empty temporary file beside {@code target}, creating the folder if needed. */
    public static Path temporaryFor(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        return Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
    }

    /** Renames {@code tmp} over {@code target}, atomically when the file system supports it. */
    public static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Writes {@code bytes} to {@code target} through a temporary file; nothing is left behind on failure. */
    public static Path write(Path target, byte[] bytes) throws IOException {
        Path tmp = temporaryFor(target);
        try {
            Files.write(tmp, bytes);
            moveIntoPlace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }
}
