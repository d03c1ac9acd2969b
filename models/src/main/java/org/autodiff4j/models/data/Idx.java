package org.autodiff4j.models.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.autodiff4j.tensor.Tensor;

/**
 * Reads IDX files (LeCun's MNIST format), raw or gzip-compressed: a 4-byte magic {@code 0 0 type
 * rank}, {@code rank} big-endian 32-bit sizes, then the data. Only unsigned bytes (type 0x08) are
 * supported, as in every MNIST-family file. Errors name the file, the byte offset and the problem.
 */
public final class Idx {
    private static final int UNSIGNED_BYTE = 0x08;

    private Idx() {
    }

    /** The sizes and raw unsigned bytes of one IDX file. */
    public record Contents(int[] dims, byte[] data) {
    }

    /**
     * Images as a float32 [n, rows * cols] tensor scaled to [0, 1].
     *
     * @param file the IDX file, raw or gzip-compressed
     * @return images as a float32 [n, rows * cols] tensor scaled to [0, 1]
     * @throws IOException naming the file and the byte offset when it is damaged or not of images
     */
    public static Tensor readImages(Path file) throws IOException {
        return readImages(file, 0, 0);
    }

    /**
     * Images of a known size as a float32 [n, rows * cols] tensor scaled to [0, 1].
     *
     * @param file the IDX file, raw or gzip-compressed
     * @param rows the rows each image must have (0: any)
     * @param cols the columns each image must have (0: any)
     * @return images as a float32 [n, rows * cols] tensor scaled to [0, 1]
     * @throws IOException naming the file and the byte offset when it is damaged, not of images, or of another size
     */
    public static Tensor readImages(Path file, int rows, int cols) throws IOException {
        byte[] b = bytes(file, 3, 5);
        int[] dims = header(b, 3, file.toString());
        if (rows > 0 && (dims[1] != rows || dims[2] != cols)) {
            throw new IOException(file + ": images of " + dims[1] + "x" + dims[2] + " (byte offset 8), expected " + rows
                    + "x" + cols);
        }
        int n = dims[0];
        int pixels = dims[1] * dims[2];
        int offset = 4 + 4 * 3;
        float[] values = new float[n * pixels];
        for (int i = 0; i < values.length; i++) {
            values[i] = (b[offset + i] & 0xFF) / 255f;
        }
        // NOTE: no copies of the image data beyond the file's bytes: the data set is the largest object here
        return Tensor.wrap(values, n, pixels);
    }

    /**
     * Labels as ints.
     *
     * @param file the IDX file, raw or gzip-compressed
     * @return labels as ints
     * @throws IOException naming the file and the byte offset when it is damaged or not of labels
     */
    public static int[] readLabels(Path file) throws IOException {
        Contents c = read(file, 1);
        int[] labels = new int[c.dims()[0]];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = c.data()[i] & 0xFF;
        }
        return labels;
    }

    /**
     * Reads a file and checks its rank.
     *
     * @param file the IDX file, raw or gzip-compressed
     * @param expectedRank the number of dimensions the file must have
     * @return the dimensions and the raw bytes
     * @throws IOException naming the file, the byte offset and what is wrong
     */
    public static Contents read(Path file, int expectedRank) throws IOException {
        return parse(bytes(file, expectedRank, 2), expectedRank, file.toString());
    }

    /**
     * Parses IDX bytes; {@code source} names them in errors.
     *
     * @param b the whole (uncompressed) file content
     * @param expectedRank the number of dimensions the file must have
     * @param source the name used in error messages
     * @return the dimensions and the raw bytes
     * @throws IOException naming {@code source} and the byte offset when the bytes are not valid IDX
     */
    public static Contents parse(byte[] b, int expectedRank, String source) throws IOException {
        int[] dims = header(b, expectedRank, source);
        int headerBytes = 4 + 4 * expectedRank;
        byte[] data = new byte[b.length - headerBytes];
        System.arraycopy(b, headerBytes, data, 0, data.length);
        return new Contents(dims, data);
    }

    /** Checks the magic number and the sizes (not the data length); returns the sizes. */
    private static int[] dims(byte[] b, int expectedRank, String source) throws IOException {
        if (b.length < 4) {
            throw new IOException(source + ": truncated IDX file: " + b.length + " bytes, the magic number alone takes 4");
        }
        int rank = b[3] & 0xFF;
        if (b[0] != 0 || b[1] != 0 || (b[2] & 0xFF) != UNSIGNED_BYTE || rank != expectedRank) {
            throw new IOException(String.format("%s: not an IDX file of rank %d at byte 0: magic 0x%02x%02x%02x%02x, "
                    + "expected 0x000008%02x (%s)", source, expectedRank, b[0], b[1], b[2], b[3], expectedRank,
                    expectedRank == 3 ? "images" : expectedRank == 1 ? "labels" : "rank " + expectedRank));
        }
        int headerBytes = 4 + 4 * rank;
        if (b.length < headerBytes) {
            throw new IOException(source + ": truncated IDX header: " + b.length + " bytes, the header takes "
                    + headerBytes);
        }
        int[] dims = new int[rank];
        long size = 1;
        for (int i = 0; i < rank; i++) {
            int at = 4 + 4 * i;
            dims[i] = ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
            if (dims[i] < 0 || size * dims[i] > Integer.MAX_VALUE) {
                throw new IOException(source + ": invalid IDX size " + Integer.toUnsignedString(dims[i]) + " at byte "
                        + at + " (sizes up to then multiply past " + Integer.MAX_VALUE + " bytes)");
            }
            size *= dims[i];
        }
        return dims;
    }

    /** Checks the magic number, the sizes and the data length; returns the sizes. */
    private static int[] header(byte[] b, int expectedRank, String source) throws IOException {
        int[] dims = dims(b, expectedRank, source);
        int headerBytes = 4 + 4 * expectedRank;
        long size = 1;
        for (int d : dims) {
            size *= d;
        }
        long available = b.length - headerBytes;
        if (available != size) {
            throw new IOException(source + ": " + (available < size ? "truncated" : "trailing bytes in")
                    + " IDX data at byte " + (headerBytes + Math.min(available, size)) + ": sizes "
                    + java.util.Arrays.toString(dims) + " need " + size + " bytes after the " + headerBytes
                    + "-byte header, the file has " + available);
        }
        return dims;
    }

    /**
     * The file's bytes, gunzipped when it starts with the gzip magic, reading no more than its header
     * declares. Before anything of that size is allocated, the declared size is checked against the gzip
     * trailer's length, against what deflate can expand the file to, and against the memory this JVM may
     * use: {@code copies} times the data (the bytes plus what the caller turns them into).
     */
    private static byte[] bytes(Path file, int expectedRank, int copies) throws IOException {
        byte[] raw = Files.readAllBytes(file);
        String source = file.toString();
        if (!Gzip.isGzip(raw)) {
            return raw;
        }
        int headerBytes = 4 + 4 * expectedRank;
        try (Gzip in = Gzip.open(raw, source)) {
            byte[] head = in.readNBytes(headerBytes);
            if (head.length < headerBytes) {
                header(head, expectedRank, source); // says what is wrong with the short file
            }
            long size = headerBytes + declaredSize(head, expectedRank, source);
            String declares = "its IDX header declares " + size + " bytes";
            if (size > Gzip.MAX_RATIO * raw.length + 1024 || (size & 0xFFFFFFFFL) != Gzip.declaredLength(raw)) {
                throw new IOException(source + ": " + declares + ", but the gzip stream of " + raw.length + " bytes "
                        + (size > Gzip.MAX_RATIO * raw.length + 1024 ? "cannot expand to that" : "says it holds "
                        + Gzip.declaredLength(raw) + " (mod 2^32)") + " (a damaged or forged header at byte 4)");
            }
            long max = Runtime.getRuntime().maxMemory();
            if (copies * size > max / 2) {
                throw new IOException(source + ": " + declares + ", more than this JVM's memory allows ("
                        + max / 1_000_000 + " MB; AUTODIFF4J_JAVA_OPTS=-Xmx... gives it more)");
            }
            byte[] b = new byte[(int) size];
            System.arraycopy(head, 0, b, 0, headerBytes);
            int got = headerBytes + in.readNBytes(b, headerBytes, b.length - headerBytes);
            if (got < b.length) {
                throw new IOException(source + ": truncated IDX data at byte " + got + ": " + declares);
            }
            if (in.read() >= 0) {
                throw new IOException(source + ": trailing bytes in IDX data at byte " + size + ": " + declares);
            }
            return b;
        }
    }

    /** The number of data bytes the header's sizes declare (the header itself is checked). */
    private static long declaredSize(byte[] head, int expectedRank, String source) throws IOException {
        long size = 1;
        for (int d : dims(head, expectedRank, source)) {
            size *= d;
        }
        return size;
    }
}
