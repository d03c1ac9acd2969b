package org.autodiff4j.nn;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Tensor;

/**
 * Reads and writes the safetensors format (huggingface/safetensors): an 8-byte little-endian header
 * length N, N bytes of JSON mapping each tensor name to {@code {"dtype", "shape", "data_offsets"}}
 * plus an optional {@code "__metadata__"} string map, then the raw little-endian row-major data.
 * numpy and PyTorch read these files with the {@code safetensors} package. Writes go to a temporary
 * file that is then renamed, so a crash never leaves half a file under the real name.
 */
public final class SafeTensors {
    /** Strict about what it reads: a repeated key or anything but white space after the header's object is an error. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final long MAX_HEADER = 100L << 20;

    private SafeTensors() {
    }

    /** What a file holds: tensors in file order, and the metadata strings. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    /**
     * Writes tensors (in map order) and metadata to {@code path}, atomically.
     *
     * @param path the file to write
     * @param tensors the tensors by name, written in map order
     * @param metadata string metadata stored in the file header
     * @throws IOException when the file cannot be written
     */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            long bytes = (long) t.size() * t.dtype().bytes();
            ObjectNode entry = header.putObject(e.getKey());
            entry.put("dtype", t.dtype() == DType.FLOAT32 ? "F32" : "F64");
            ArrayNode shape = entry.putArray("shape");
            for (int d : t.shape().dims()) {
                shape.add(d);
            }
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        AtomicFiles.requireReplaceable(path);
        try {
            Path tmp = AtomicFiles.temporaryFor(path);
            try {
                try (var out = Files.newByteChannel(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                    head.flip();
                    writeFully(out, head);
                    for (Tensor t : tensors.values()) {
                        writeFully(out, encode(t));
                    }
                }
                AtomicFiles.moveIntoPlace(tmp, path);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw AtomicFiles.cannotWrite(path, e);
        }
    }

    private static void writeFully(java.nio.channels.WritableByteChannel out, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    private static ByteBuffer encode(Tensor t) {
        ByteBuffer b = ByteBuffer.allocate(t.size() * t.dtype().bytes()).order(ByteOrder.LITTLE_ENDIAN);
        if (t.dtype() == DType.FLOAT32) {
            b.asFloatBuffer().put(t.toFloatArray());
        } else {
            b.asDoubleBuffer().put(t.toDoubleArray());
        }
        return b;
    }

    /**
     * Reads a whole file.
     *
     * @param path the file to read
     * @return the metadata and every tensor
     * @throws IOException naming the file and, for a damaged one, the byte offset and what is wrong
     */
    public static Contents read(Path path) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        return parse(bytes, path.toString());
    }

    /**
     * Parses safetensors bytes; {@code source} names them in error messages.
     *
     * @param bytes the whole file content
     * @param source the name used in error messages
     * @return the metadata and every tensor
     * @throws IOException naming {@code source} and the byte offset when the bytes are not valid safetensors
     */
    public static Contents parse(byte[] bytes, String source) throws IOException {
        if (bytes.length < 8) {
            throw damaged(source, 0, "truncated: " + bytes.length + " bytes, but the file must start with an 8-byte header length");
        }
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 2 || n > MAX_HEADER || n > bytes.length - 8) {
            throw damaged(source, 0, "header length " + n + " does not fit a file of " + bytes.length + " bytes");
        }
        JsonNode header;
        try {
            header = JSON.readTree(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            long at = e.getLocation() == null ? 8 : 8 + e.getLocation().getCharOffset();
            throw damaged(source, at, "the JSON header is invalid: " + e.getOriginalMessage());
        }
        if (header == null || !header.isObject()) {
            throw damaged(source, 8, "the JSON header is not an object");
        }
        int dataStart = 8 + (int) n;
        long dataLength = bytes.length - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<long[]> spans = new ArrayList<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                if (!e.getValue().isObject()) {
                    throw damaged(source, 8, "__metadata__ is not an object of strings");
                }
                for (Iterator<Map.Entry<String, JsonNode>> m = e.getValue().fields(); m.hasNext(); ) {
                    Map.Entry<String, JsonNode> kv = m.next();
                    if (!kv.getValue().isTextual()) {
                        throw damaged(source, 8, "__metadata__ value of '" + kv.getKey() + "' is " + kv.getValue()
                                + ", not a string");
                    }
                    metadata.put(kv.getKey(), kv.getValue().asText());
                }
                continue;
            }
            tensors.put(e.getKey(), tensor(e.getKey(), e.getValue(), bytes, dataStart, dataLength, spans, source));
        }
        spans.sort((a, b) -> Long.compare(a[0], b[0]));
        long expected = 0;
        for (long[] s : spans) {
            if (s[0] != expected) {
                throw damaged(source, dataStart + expected, "the data has a hole or an overlap at data offset " + expected);
            }
            expected = s[1];
        }
        if (expected != dataLength) {
            throw damaged(source, dataStart + expected, "the data section has " + dataLength
                    + " bytes but the tensors cover " + expected);
        }
        return new Contents(tensors, metadata);
    }

    private static Tensor tensor(String name, JsonNode entry, byte[] bytes, int dataStart, long dataLength,
                                 List<long[]> spans, String source) throws IOException {
        String dtypeName = entry.path("dtype").asText("");
        DType dtype = switch (dtypeName) {
            case "F32" -> DType.FLOAT32;
            case "F64" -> DType.FLOAT64;
            default -> throw damaged(source, 8, "tensor '" + name + "' has dtype '" + dtypeName
                    + "'; supported: F32, F64");
        };
        JsonNode shapeNode = entry.path("shape");
        JsonNode offsets = entry.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw damaged(source, 8, "tensor '" + name + "' needs a 'shape' array and two 'data_offsets'");
        }
        int[] dims = new int[shapeNode.size()];
        long size = 1;
        for (int i = 0; i < dims.length; i++) {
            long d = shapeNode.get(i).asLong(-1);
            if (!shapeNode.get(i).isIntegralNumber() || !shapeNode.get(i).canConvertToInt() || d < 0) {
                throw damaged(source, 8, "tensor '" + name + "' has an invalid dimension " + shapeNode.get(i));
            }
            dims[i] = (int) d;
            size *= d;
            if (size > Integer.MAX_VALUE) {
                throw damaged(source, 8, "tensor '" + name + "' of shape " + shapeNode + " has more than "
                        + Integer.MAX_VALUE + " elements");
            }
        }
        if (!offsets.get(0).isIntegralNumber() || !offsets.get(1).isIntegralNumber()) {
            throw damaged(source, 8, "tensor '" + name + "' has data offsets " + offsets + " that are not whole numbers");
        }
        long begin = offsets.get(0).canConvertToLong() ? offsets.get(0).asLong() : -1;
        long end = offsets.get(1).canConvertToLong() ? offsets.get(1).asLong() : -1;
        if (begin < 0 || end < begin || end > dataLength) {
            throw damaged(source, dataStart + Math.max(0, begin), "tensor '" + name + "' has data offsets ["
                    + begin + ", " + end + "] outside the " + dataLength + "-byte data section");
        }
        if (end - begin != size * dtype.bytes()) {
            throw damaged(source, dataStart + begin, "tensor '" + name + "' of shape " + shapeNode + " and dtype "
                    + dtypeName + " needs " + size * dtype.bytes() + " bytes, its offsets span " + (end - begin));
        }
        spans.add(new long[] {begin, end});
        ByteBuffer b = ByteBuffer.wrap(bytes, dataStart + (int) begin, (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
        if (dtype == DType.FLOAT32) {
            float[] f = new float[(int) size];
            b.asFloatBuffer().get(f);
            return Tensor.of(f, dims);
        }
        double[] d = new double[(int) size];
        b.asDoubleBuffer().get(d);
        return Tensor.of(d, dims);
    }

    private static IOException damaged(String source, long offset, String problem) {
        return new IOException(source + ": not a valid safetensors file at byte " + offset + ": " + problem);
    }
}
