package org.autodiff4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Headers that a lenient JSON reader would accept or round: each is one clean error naming the problem. */
class SafeTensorsStrictTest {

    /** A file of one F32 tensor of 2 elements (8 data bytes) with the given JSON header. */
    private static byte[] file(String header) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).putFloat(1f).putFloat(2f);
        return b.array();
    }

    private static String rejected(String header) {
        IOException e = assertThrows(IOException.class, () -> SafeTensors.parse(file(header), "f"));
        assertTrue(e.getMessage().startsWith("f: not a valid safetensors file at byte "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aWellFormedHeader_paddedWithSpaces_parses() throws IOException {
        SafeTensors.Contents c = SafeTensors.parse(
                file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"__metadata__\":{\"a\":\"b\"}}   "), "f");
        assertEquals(2.0, c.tensors().get("w").getFlat(1));
        assertEquals("b", c.metadata().get("a"));
    }

    @Test
    void nonIntegerShapesAndOffsets_areRejected() {
        assertTrue(rejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}").contains("invalid dimension 2.5"));
        assertTrue(rejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}}").contains("invalid dimension"));
        assertTrue(rejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8.0]}}").contains("not whole numbers"));
        assertTrue(rejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[\"0\",8]}}").contains("not whole numbers"));
        assertTrue(rejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,1e40]}}").contains("not whole numbers"));
    }

    @Test
    void trailingBytesAfterTheJson_andRepeatedKeys_areRejected() {
        assertTrue(rejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}} {}").contains("JSON header is invalid"));
        assertTrue(rejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}xyz").contains("JSON header is invalid"));
        assertTrue(rejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}").contains("Duplicate field 'w'"));
    }

    @Test
    void metadataMustBeStrings() {
        assertTrue(rejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"__metadata__\":{\"hidden\":[500]}}")
                .contains("__metadata__ value of 'hidden' is [500], not a string"));
        assertTrue(rejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"__metadata__\":3}")
                .contains("__metadata__ is not an object"));
    }
}
