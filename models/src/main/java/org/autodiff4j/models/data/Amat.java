package org.autodiff4j.models.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.autodiff4j.tensor.Tensor;

/**
 * Reads the {@code .amat} text format of Larochelle's binarized MNIST: one image per line, its
 * pixel values (numbers in [0, 1]) separated by spaces. Every line must have the same number of values.
 */
public final class Amat {
    private Amat() {
    }

    /**
     * Reads a whole file (raw or gzip-compressed) into a float32 [lines, values] tensor.
     *
     * @param file the .amat file, raw or gzip-compressed
     * @return a float32 [lines, values] tensor
     * @throws IOException naming the file, the line and its byte offset when a line is malformed
     */
    public static Tensor read(Path file) throws IOException {
        byte[] raw = java.nio.file.Files.readAllBytes(file);
        if (!Gzip.isGzip(raw)) {
            return parse(raw, file.toString());
        }
        // a text of 0s and 1s compresses about 30-fold: read at most what deflate can give and memory allows
        long limit = Math.min(Math.min(Gzip.MAX_RATIO * raw.length, Integer.MAX_VALUE - 8),
                Runtime.getRuntime().maxMemory() / 8);
        try (Gzip in = Gzip.open(raw, file.toString())) {
            byte[] text = in.readNBytes((int) limit);
            if (in.read() >= 0) {
                throw new IOException(file + ": the gzip stream expands past " + limit + " bytes, more than this JVM "
                        + "can hold as text (a damaged file?)");
            }
            return parse(text, file.toString());
        }
    }

    /**
     * Parses {@code .amat} bytes; {@code source} names them in errors.
     *
     * @param bytes the whole file content
     * @param source the name used in error messages
     * @return a float32 [lines, values] tensor
     * @throws IOException naming {@code source}, the line and the value when the text is not an .amat matrix
     */
    public static Tensor parse(byte[] bytes, String source) throws IOException {
        String text = new String(bytes, StandardCharsets.US_ASCII);
        int width = -1;
        int rows = 0;
        float[] values = new float[1024];
        int count = 0;
        int lineStart = 0;
        int lineNo = 0;
        while (lineStart < text.length()) {
            int end = text.indexOf('\n', lineStart);
            if (end < 0) {
                end = text.length();
            }
            lineNo++;
            String line = text.substring(lineStart, end).trim();
            if (!line.isEmpty()) {
                String[] parts = line.split("\\s+");
                if (width < 0) {
                    width = parts.length;
                } else if (parts.length != width) {
                    throw new IOException(source + ": line " + lineNo + " (byte " + lineStart + ") has " + parts.length
                            + " values, line 1 has " + width);
                }
                if (count + width > values.length) {
                    values = java.util.Arrays.copyOf(values, Math.max(values.length * 2, count + width));
                }
                for (String p : parts) {
                    float v;
                    try {
                        v = Float.parseFloat(p);
                    } catch (NumberFormatException e) {
                        v = Float.NaN;
                    }
                    if (!(v >= 0 && v <= 1)) { // pixel intensities; NaN fails too
                        throw new IOException(source + ": line " + lineNo + " (byte " + lineStart + ") has a value '"
                                + (p.length() > 20 ? p.substring(0, 20) + "..." : p) + "' that is not a pixel value in [0, 1]");
                    }
                    values[count++] = v;
                }
                rows++;
            }
            lineStart = end + 1;
        }
        if (rows == 0) {
            throw new IOException(source + ": no data: the .amat file is empty");
        }
        return Tensor.of(java.util.Arrays.copyOf(values, count), rows, width);
    }
}
