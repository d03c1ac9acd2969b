package org.autodiff4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.autodiff4j.autograd.Variable;
import org.autodiff4j.nn.optim.Adam;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir
    Path dir;

    private static Sequential model(int hidden, Generator g) {
        return new Sequential(new Linear(5, hidden, g), new Activation.Tanh(), new Linear(hidden, 2, g));
    }

    private static Adam trainedAdam(Sequential m) {
        Adam adam = new Adam(m.namedParameters(), 0.01, 0.9, 0.999, 1e-8, 0);
        Tensor x = Tensor.randn(new Generator(9), DType.FLOAT32, 7, 5);
        m.forward(Variable.constant(x)).square().sum().backward();
        adam.step();
        return adam;
    }

    @Test
    void roundTrip_isBitExactForModelAndOptimizer() throws IOException {
        Sequential a = model(3, new Generator(1));
        Adam adamA = trainedAdam(a);
        Path file = dir.resolve("model.safetensors");
        Checkpoint.save(file, a, adamA, Map.of(Checkpoint.MODEL_KEY, "test", "hidden", "3"));

        Sequential b = model(3, new Generator(2));
        Adam adamB = new Adam(b.namedParameters(), 0.01, 0.9, 0.999, 1e-8, 0);
        Map<String, String> meta = Checkpoint.load(file, b, adamB, "test");
        assertEquals("3", meta.get("hidden"));
        a.namedParameters().forEach((k, p) -> assertArrayEquals(p.value().toFloatArray(),
                b.namedParameters().get(k).value().toFloatArray(), k));
        assertEquals(adamA.steps(), adamB.steps());
        adamA.state().forEach((k, t) -> assertArrayEquals(t.toDoubleArray(), adamB.state().get(k).toDoubleArray(), k));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary files are left behind");
        }
    }

    @Test
    void format_isSafetensors() throws IOException {
        Path file = dir.resolve("t.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", Tensor.of(new float[] {1.5f, -2f, 3f, 4f, 5f, 6f}, 2, 3));
        tensors.put("s", Tensor.scalar(0.25, DType.FLOAT64));
        SafeTensors.write(file, tensors, Map.of("k", "v"));
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8).trim();
        assertEquals("{\"__metadata__\":{\"k\":\"v\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
                + "\"s\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[24,32]}}", header);
        assertEquals(1.5f, ByteBuffer.wrap(bytes, 8 + (int) n, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat());
        assertEquals(8 + n + 32, bytes.length);
        SafeTensors.Contents c = SafeTensors.read(file);
        assertEquals(0.25, c.tensors().get("s").item());
        assertEquals("v", c.metadata().get("k"));
    }

    @Test
    void load_otherKindOrShape_namesTheDifference() throws IOException {
        Path file = dir.resolve("m.safetensors");
        Checkpoint.save(file, model(3, new Generator(1)), null, Map.of(Checkpoint.MODEL_KEY, "vae"));
        IOException kind = assertThrows(IOException.class, () -> Checkpoint.load(file, model(3, new Generator(1)),
                null, "gan"));
        assertEquals(file + ": holds a checkpoint of model 'vae', not 'gan'", kind.getMessage());
        IOException shape = assertThrows(IOException.class, () -> Checkpoint.load(file, model(4, new Generator(1)),
                null, "vae"));
        assertTrue(shape.getMessage().contains("0.weight has shape [3, 5], the model expects [4, 5]"), shape.getMessage());
    }

    private Path damaged(byte[] bytes) throws IOException {
        Path p = dir.resolve("bad.safetensors");
        Files.write(p, bytes);
        return p;
    }

    private byte[] valid() throws IOException {
        Path file = dir.resolve("ok.safetensors");
        SafeTensors.write(file, Map.of("w", Tensor.ones(DType.FLOAT32, 4)), Map.of());
        return Files.readAllBytes(file);
    }

    @Test
    void damagedFiles_failWithFileOffsetAndProblem() throws IOException {
        byte[] ok = valid();
        Path p1 = damaged(Arrays.copyOf(ok, 5));
        assertEquals(p1 + ": not a valid safetensors file at byte 0: truncated: 5 bytes, but the file must start with "
                + "an 8-byte header length", assertThrows(IOException.class, () -> SafeTensors.read(p1)).getMessage());

        Path p2 = damaged(Arrays.copyOf(ok, ok.length - 3));
        assertTrue(assertThrows(IOException.class, () -> SafeTensors.read(p2)).getMessage()
                .contains("outside the 13-byte data section"));

        byte[] badJson = ok.clone();
        badJson[9] = '#';
        Path p3 = damaged(badJson);
        assertTrue(assertThrows(IOException.class, () -> SafeTensors.read(p3)).getMessage()
                .startsWith(p3 + ": not a valid safetensors file at byte 9: the JSON header is invalid"));

        byte[] hugeHeader = ok.clone();
        ByteBuffer.wrap(hugeHeader).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        Path p4 = damaged(hugeHeader);
        assertTrue(assertThrows(IOException.class, () -> SafeTensors.read(p4)).getMessage()
                .contains("header length 1099511627776 does not fit"));

        byte[] extra = Arrays.copyOf(ok, ok.length + 4);
        Path p5 = damaged(extra);
        assertTrue(assertThrows(IOException.class, () -> SafeTensors.read(p5)).getMessage()
                .contains("the data section has 20 bytes but the tensors cover 16"));

        String s = new String(ok, StandardCharsets.ISO_8859_1).replace("F32", "I64");
        Path p6 = damaged(s.getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(assertThrows(IOException.class, () -> SafeTensors.read(p6)).getMessage()
                .contains("tensor 'w' has dtype 'I64'; supported: F32, F64"));
    }
}
