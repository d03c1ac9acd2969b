package org.autodiff4j.runs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.autodiff4j.nn.AtomicFiles;
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
}
