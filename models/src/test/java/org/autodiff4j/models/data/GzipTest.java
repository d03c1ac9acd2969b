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

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Gzip-compressed data files that lie: headers declaring more than the stream holds, streams expanding
 * far past what the header declares, garbage after the stream, bit flips and truncations. Each ends in
 * one IOException naming the file (and the byte offset), before anything large is allocated.
 */
class GzipTest {

    private static Path file(byte[] bytes) throws IOException {
        Path f = Files.createTempFile("gziptest", ".gz");
        f.toFile().deleteOnExit();
        return Files.write(f, bytes);
    }

    private static byte[] idxImages(int n, int rows, int cols, int dataBytes) {
        byte[] b = new byte[16 + dataBytes];
        int[] dims = {n, rows, cols};
        b[2] = 8;
        b[3] = 3;
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 4; k++) {
                b[4 + 4 * i + k] = (byte) (dims[i] >>> (24 - 8 * k));
            }
        }
        for (int i = 16; i < b.length; i++) {
            b[i] = (byte) (i * 7);
        }
        return b;
    }

    private static String fails(Path f) {
        IOException e = assertThrows(IOException.class, () -> Idx.readImages(f));
        assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aForgedHeaderDeclaringAGigabyte_isRejectedBeforeAllocating() throws IOException {
        // 1 GiB declared, 4 images of data present: caught by the gzip trailer and by deflate's ratio
        Path f = file(IdxTest.gzip(idxImages(1 << 16, 128, 128, 4 * 784)));
        String m = fails(f);
        assertTrue(m.contains("its IDX header declares " + (16 + (1L << 30)) + " bytes"), m);
        assertTrue(m.contains("at byte 4"), m);
    }

    @Test
    void aStreamExpandingFarPastItsHeader_stopsAtTheDeclaredSize() throws IOException {
        // 2 images declared, 64 MB of zeros after them: a 64 KB file
        byte[] idx = idxImages(2, 28, 28, 2 * 784);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(idx);
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                gz.write(zeros);
            }
        }
        assertTrue(out.size() < 200_000);
        String m = fails(file(out.toByteArray()));
        assertTrue(m.contains("declares " + idx.length + " bytes"), m);
    }

    @Test
    void garbageAfterTheStream_isAnErrorAtItsOffset() throws IOException {
        byte[] gz = IdxTest.gzip(idxImages(2, 2, 3, 12));
        byte[] withGarbage = Arrays.copyOf(gz, gz.length + 20);
        Arrays.fill(withGarbage, gz.length, withGarbage.length, (byte) 'x');
        String m = fails(file(withGarbage));
        assertTrue(m.contains("garbage after the gzip stream at byte " + gz.length) || m.contains("says it holds"), m);
        // two members, as cat a.gz b.gz makes, read as one stream
        byte[] idx = idxImages(2, 2, 3, 12);
        byte[] first = IdxTest.gzip(Arrays.copyOf(idx, 20));
        byte[] second = IdxTest.gzip(Arrays.copyOfRange(idx, 20, idx.length));
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        try (Gzip in = Gzip.open(both, "two members")) {
            assertArrayEquals(idx, in.readAllBytes());
        }
    }

    @Property(tries = 300)
    void bitFlips_giveTheSameImagesOrOneCleanError(@ForAll @IntRange(min = 0, max = 10_000) int position,
                                                    @ForAll @IntRange(min = 0, max = 7) int bit) throws IOException {
        byte[] idx = idxImages(4, 10, 10, 400);
        byte[] gz = IdxTest.gzip(idx);
        gz[position % gz.length] ^= (byte) (1 << bit);
        Path f = file(gz);
        try {
            Tensor t = Idx.readImages(f);
            assertArrayEquals(Idx.parse(idx, 3, "original").data(), toBytes(t)); // a flip in a field the data ignore
        } catch (IOException e) {
            assertTrue(e.getMessage().startsWith(f + ": ") && e.getMessage().lines().count() == 1, e.getMessage());
        }
    }

    @Property(tries = 100)
    void truncations_areOneCleanError(@ForAll @IntRange(min = 0, max = 10_000) int keep) throws IOException {
        byte[] gz = IdxTest.gzip(idxImages(4, 10, 10, 400));
        Path f = file(Arrays.copyOf(gz, keep % gz.length));
        IOException e = assertThrows(IOException.class, () -> Idx.readImages(f));
        assertTrue(e.getMessage().startsWith(f + ": ") && e.getMessage().lines().count() == 1, e.getMessage());
    }

    private static byte[] toBytes(Tensor t) {
        byte[] b = new byte[t.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Math.round(t.getFlat(i) * 255);
        }
        return b;
    }

    @Test
    void amat_rejectsValuesThatAreNotPixels() throws IOException {
        for (String bad : new String[] {"7", "NaN", "-1", "1.5", "Infinity"}) {
            Path f = file(IdxTest.gzip(("0 1 0\n1 " + bad + " 0\n").getBytes()));
            IOException e = assertThrows(IOException.class, () -> Amat.read(f));
            assertEquals(f + ": line 2 (byte 6) has a value '" + bad + "' that is not a pixel value in [0, 1]",
                    e.getMessage());
        }
    }
}
