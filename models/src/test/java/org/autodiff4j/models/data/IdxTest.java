package org.autodiff4j.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import org.autodiff4j.tensor.Shape;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path dir;

    /** A 2-image, 2x3-pixel IDX image file. */
    static byte[] images() {
        return new byte[] {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3,
            0, (byte) 255, 0, 51, 102, (byte) 204, 1, 2, 3, 4, 5, 6};
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        }
        return out.toByteArray();
    }

    @Test
    void readImages_rawAndGzip_scaleToUnitInterval() throws IOException {
        for (byte[] bytes : new byte[][] {images(), gzip(images())}) {
            Path f = Files.write(dir.resolve("img"), bytes);
            Tensor t = Idx.readImages(f);
            assertEquals(Shape.of(2, 6), t.shape());
            assertArrayEquals(new float[] {0, 1, 0, 0.2f, 0.4f, 0.8f}, Arrays.copyOf(t.toFloatArray(), 6), 1e-7f);
        }
    }

    @Test
    void readLabels() throws IOException {
        Path f = Files.write(dir.resolve("lab"), new byte[] {0, 0, 8, 1, 0, 0, 0, 3, 7, 0, 9});
        assertArrayEquals(new int[] {7, 0, 9}, Idx.readLabels(f));
    }

    @Test
    void wrongMagic_namesFileOffsetAndExpectation() throws IOException {
        Path f = Files.write(dir.resolve("lab"), new byte[] {0, 0, 8, 1, 0, 0, 0, 3, 7, 0, 9});
        IOException e = assertThrows(IOException.class, () -> Idx.readImages(f));
        assertEquals(f + ": not an IDX file of rank 3 at byte 0: magic 0x00000801, expected 0x00000803 (images)",
                e.getMessage());
    }

    @Test
    void truncatedAndTrailing_nameByteOffsetAndSizes() throws IOException {
        byte[] ok = images();
        Path t = Files.write(dir.resolve("t"), Arrays.copyOf(ok, ok.length - 5));
        assertEquals(t + ": truncated IDX data at byte 23: sizes [2, 2, 3] need 12 bytes after the 16-byte header, "
                + "the file has 7", assertThrows(IOException.class, () -> Idx.readImages(t)).getMessage());
        Path x = Files.write(dir.resolve("x"), Arrays.copyOf(ok, ok.length + 2));
        assertTrue(assertThrows(IOException.class, () -> Idx.readImages(x)).getMessage()
                .startsWith(x + ": trailing bytes in IDX data at byte 28"));
        Path h = Files.write(dir.resolve("h"), Arrays.copyOf(ok, 10));
        assertEquals(h + ": truncated IDX header: 10 bytes, the header takes 16",
                assertThrows(IOException.class, () -> Idx.readImages(h)).getMessage());
    }

    @Test
    void truncatedGzip_isReported() throws IOException {
        byte[] gz = gzip(images());
        Path f = Files.write(dir.resolve("g.gz"), Arrays.copyOf(gz, gz.length / 2));
        assertTrue(assertThrows(IOException.class, () -> Idx.readImages(f)).getMessage()
                .startsWith(f + ": truncated gzip stream"));
    }

    @Test
    void amat_parsesAndReportsRaggedLines() throws IOException {
        Path ok = Files.writeString(dir.resolve("a.amat"), "0 1 1\n1 0 0\n");
        assertArrayEquals(new float[] {0, 1, 1, 1, 0, 0}, Amat.read(ok).toFloatArray());
        Path bad = Files.writeString(dir.resolve("b.amat"), "0 1 1\n1 0\n");
        assertEquals(bad + ": line 2 (byte 6) has 2 values, line 1 has 3",
                assertThrows(IOException.class, () -> Amat.read(bad)).getMessage());
        Path nan = Files.writeString(dir.resolve("c.amat"), "0 x 1\n");
        assertEquals(nan + ": line 1 (byte 0) has a value 'x' that is not a pixel value in [0, 1]",
                assertThrows(IOException.class, () -> Amat.read(nan)).getMessage());
        Path empty = Files.writeString(dir.resolve("d.amat"), "\n");
        assertEquals(empty + ": no data: the .amat file is empty",
                assertThrows(IOException.class, () -> Amat.read(empty)).getMessage());
    }
}
