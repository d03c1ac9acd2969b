package org.autodiff4j.models.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

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
        byte[] b = decompressed(file);
        int[] dims = header(b, 3, file.toString());
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
        return parse(decompressed(file), expectedRank, file.toString());
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

    /** Checks the magic number, the sizes and the data length; returns the sizes. */
    private static int[] header(byte[] b, int expectedRank, String source) throws IOException {
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
        long available = b.length - headerBytes;
        if (available != size) {
            throw new IOException(source + ": " + (available < size ? "truncated" : "trailing bytes in")
                    + " IDX data at byte " + (headerBytes + Math.min(available, size)) + ": sizes "
                    + java.util.Arrays.toString(dims) + " need " + size + " bytes after the " + headerBytes
                    + "-byte header, the file has " + available);
        }
        return dims;
    }

    /** The file's bytes, gunzipped when it starts with the gzip magic. */
    static byte[] decompressed(Path file) throws IOException {
        byte[] raw = Files.readAllBytes(file);
        if (raw.length >= 2 && (raw[0] & 0xFF) == 0x1f && (raw[1] & 0xFF) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
                // the gzip trailer's ISIZE is the uncompressed length mod 2^32: a size hint, checked by reading
                int hint = raw.length < 18 ? 0 : (raw[raw.length - 4] & 0xFF) | (raw[raw.length - 3] & 0xFF) << 8
                        | (raw[raw.length - 2] & 0xFF) << 16 | (raw[raw.length - 1] & 0x7F) << 24;
                ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(32, Math.min(hint + 1, 1 << 30)));
                in.transferTo(out);
                return out.toByteArray();
            } catch (java.io.EOFException e) {
                throw new IOException(file + ": truncated gzip stream (" + raw.length + " compressed bytes)", e);
            } catch (java.util.zip.ZipException e) {
                throw new IOException(file + ": corrupt gzip data: " + e.getMessage(), e);
            }
        }
        return raw;
    }
}
