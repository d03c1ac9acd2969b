package org.autodiff4j.nn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;

/** Damaged checkpoint bytes give a clean IOException or a correct parse, never another exception or a hang. */
class SafeTensorsProperties {
    private static byte[] valid() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("a.weight", Tensor.randn(new Generator(1), DType.FLOAT32, 3, 4));
        t.put("a.bias", Tensor.randn(new Generator(2), DType.FLOAT64, 4));
        t.put("step", Tensor.scalar(7, DType.FLOAT64));
        Path f = Files.createTempFile("valid", ".safetensors");
        try {
            SafeTensors.write(f, t, Map.of("model", "x"));
            return Files.readAllBytes(f);
        } finally {
            Files.deleteIfExists(f);
        }
    }

    private static void parseCleanly(byte[] bytes) {
        try {
            SafeTensors.Contents c = SafeTensors.parse(bytes, "input");
            c.tensors().values().forEach(Tensor::size);
        } catch (IOException expected) {
            if (!expected.getMessage().startsWith("input: ")) {
                throw new AssertionError("the message must name the file: " + expected.getMessage());
            }
        }
    }

    @Property(tries = 500)
    void randomBytes(@ForAll @Size(max = 300) byte[] bytes) {
        parseCleanly(bytes);
    }

    @Property(tries = 300)
    void truncations(@ForAll @IntRange(min = 0, max = 10_000) int cut) throws IOException {
        byte[] ok = valid();
        Assume.that(cut < ok.length);
        parseCleanly(Arrays.copyOf(ok, cut));
    }

    @Property(tries = 1000)
    void corruptions(@ForAll @IntRange(min = 0, max = 10_000) int at, @ForAll byte value) throws IOException {
        byte[] bytes = valid();
        bytes[at % bytes.length] = value;
        parseCleanly(bytes);
    }
}
