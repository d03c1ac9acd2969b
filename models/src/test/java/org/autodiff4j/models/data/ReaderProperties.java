package org.autodiff4j.models.data;

import java.io.IOException;
import java.util.Arrays;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.autodiff4j.tensor.Tensor;

/** Random and damaged IDX and .amat bytes give a clean IOException or a correct parse, never anything else. */
class ReaderProperties {

    private static void idxCleanly(byte[] bytes, int rank) {
        try {
            Idx.Contents c = Idx.parse(bytes, rank, "input");
            long size = Arrays.stream(c.dims()).asLongStream().reduce(1, (a, b) -> a * b);
            if (size != c.data().length) {
                throw new AssertionError("parsed " + c.data().length + " bytes for sizes " + Arrays.toString(c.dims()));
            }
        } catch (IOException expected) {
            if (!expected.getMessage().startsWith("input: ")) {
                throw new AssertionError("the message must name the file: " + expected.getMessage());
            }
        }
    }

    @Property(tries = 500)
    void idx_randomBytes(@ForAll @Size(max = 200) byte[] bytes, @ForAll @IntRange(min = 1, max = 3) int rank) {
        idxCleanly(bytes, rank);
    }

    @Property(tries = 500)
    void idx_headersWithRandomSizes(@ForAll int d0, @ForAll int d1, @ForAll int d2, @ForAll @Size(max = 64) byte[] data) {
        byte[] b = new byte[16 + data.length];
        b[2] = 8;
        b[3] = 3;
        int[] dims = {d0, d1, d2};
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                b[4 + 4 * i + j] = (byte) (dims[i] >>> (24 - 8 * j));
            }
        }
        System.arraycopy(data, 0, b, 16, data.length);
        idxCleanly(b, 3);
    }

    @Property(tries = 200)
    void idx_truncations(@ForAll @IntRange(min = 0, max = 27) int cut) {
        byte[] ok = IdxTest.images();
        Assume.that(cut < ok.length);
        idxCleanly(Arrays.copyOf(ok, cut), 3);
    }

    @Property(tries = 500)
    void amat_randomText(@ForAll @Size(max = 200) byte[] bytes) {
        try {
            Tensor t = Amat.parse(bytes, "input");
            if (t.rank() != 2 || t.size() == 0) {
                throw new AssertionError("parsed " + t.shape());
            }
        } catch (IOException expected) {
            if (!expected.getMessage().startsWith("input: ")) {
                throw new AssertionError("the message must name the file: " + expected.getMessage());
            }
        }
    }

    @Property(tries = 500)
    void amat_digitsAndSpaces(@ForAll("amatLike") String text) {
        try {
            Amat.parse(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII), "input");
        } catch (IOException expected) {
            if (!expected.getMessage().startsWith("input: ")) {
                throw new AssertionError(expected.getMessage());
            }
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> amatLike() {
        return net.jqwik.api.Arbitraries.strings().withChars('0', '1', ' ', '\n', '.', '-').ofMaxLength(200);
    }
}
