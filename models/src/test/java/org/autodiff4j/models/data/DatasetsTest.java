package org.autodiff4j.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import org.autodiff4j.models.SharedData;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
    @TempDir
    Path tmp;

    @Test
    void imagesNchw_areTheRowsAsOneChannelImages() {
        Tensor rows = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 6);
        Tensor nchw = new Dataset("toy/train", rows, null, 2, 3).imagesNchw();
        assertEquals(org.autodiff4j.tensor.Shape.of(2, 1, 2, 3), nchw.shape());
        assertEquals(12.0, nchw.get(1, 0, 1, 2));
        assertEquals(4.0, nchw.get(0, 0, 1, 0));
    }

    @Test
    void scaledImages_areTheAffineMapOfTheRowsInEitherLayoutAndLeaveTheSplitAlone() {
        Tensor rows = Tensor.of(new float[] {0, 1, 0.5f, 0.25f, 1, 0}, 2, 3);
        Dataset d = new Dataset("toy/train", rows, null, 1, 3);
        Tensor flat = d.scaledImages(2, -1, false);
        assertEquals(org.autodiff4j.tensor.Shape.of(2, 3), flat.shape());
        org.junit.jupiter.api.Assertions.assertArrayEquals(rows.mul(2.0).add(-1.0).toFloatArray(), flat.toFloatArray());
        Tensor nchw = d.scaledImages(2, -1, true);
        assertEquals(org.autodiff4j.tensor.Shape.of(2, 1, 1, 3), nchw.shape());
        assertEquals(-0.5, nchw.get(1, 0, 0, 0));
        assertEquals(0.5, rows.get(0, 2), "the split's own images are unchanged");
    }

    @Test
    void load_rejectsEmptySetsAndWrongImageSizesNamingTheFile() throws IOException {
        Path root = tmp.resolve("data");
        Path empty = Files.createDirectories(root.resolve("binarized-mnist")).resolve("test-images-idx3-ubyte");
        Files.write(empty, idxImages(0, 28, 28));
        Path small = Files.createDirectories(root.resolve("mnist")).resolve("t10k-images-idx3-ubyte");
        Files.write(small, idxImages(3, 10, 10));
        Files.write(root.resolve("mnist").resolve("t10k-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3});
        Datasets sets = new Datasets(List.of(root), tmp.resolve("cache"), URI.create("http://127.0.0.1:9/"),
                Duration.ofSeconds(2));
        assertEquals(empty + ": holds no images",
                assertThrows(IOException.class, () -> sets.load("binarized-mnist", "test")).getMessage());
        assertEquals(small + ": images of 10x10 (byte offset 8), expected 28x28",
                assertThrows(IOException.class, () -> sets.load("mnist", "test")).getMessage());
        Files.write(small, idxImages(3, 784, 1));   // the right pixel count in the wrong shape
        assertEquals(small + ": images of 784x1 (byte offset 8), expected 28x28",
                assertThrows(IOException.class, () -> sets.load("mnist", "test")).getMessage());
    }

    @Test
    void load_namesAFifoOrALinkLoopInsteadOfSayingNotFound() throws IOException, InterruptedException {
        Path dir = Files.createDirectories(tmp.resolve("odd").resolve("binarized-mnist"));
        Path loop = dir.resolve("train-images-idx3-ubyte.gz");
        Files.createSymbolicLink(loop, loop);
        Datasets sets = new Datasets(List.of(tmp.resolve("odd")), tmp.resolve("cache"), URI.create("http://127.0.0.1:9/"),
                Duration.ofSeconds(2));
        assertEquals(loop + ": is not a regular file (a symbolic link to nothing readable); put the data set's file "
                + "there, or remove it", assertThrows(IOException.class, () -> sets.load("binarized-mnist", "train")).getMessage());
        Path fifo = dir.resolve("valid-images-idx3-ubyte.gz");
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0);
        assertEquals(fifo + ": is not a regular file (a FIFO or a device); put the data set's file there, or remove it",
                assertThrows(IOException.class, () -> sets.load("binarized-mnist", "valid")).getMessage());
    }

    /** An IDX3 image file of {@code n} zero images of {@code rows x cols}. */
    private static byte[] idxImages(int n, int rows, int cols) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16 + n * rows * cols);
        b.putInt(0x00000803).putInt(n).putInt(rows).putInt(cols);
        return b.array();
    }

    @Test
    void load_findsSharedIdxFiles() throws IOException {
        Datasets sets = new Datasets(List.of(SharedData.dir()), tmp.resolve("cache"), URI.create("http://127.0.0.1:9/"),
                Duration.ofSeconds(2));
        Dataset test = sets.load("binarized-mnist", "test");
        assertEquals(10_000, test.size());
        assertEquals(784, test.images().shape().dim(1));
        double[] px = test.images().sliceRows(0, 100).toDoubleArray();
        for (double v : px) {
            assertTrue(v == 0.0 || v == 1.0, "binarized pixels are 0 or 1");
        }
        Dataset mnist = sets.load("mnist", "test");
        assertEquals(10_000, mnist.labels().length);
    }

    /** The {@code .amat} text of a set of binary images, byte for byte as Larochelle's files are written. */
    private static byte[] amat(Tensor images) {
        StringBuilder sb = new StringBuilder();
        int n = images.shape().dim(0);
        int d = images.shape().dim(1);
        float[] px = images.toFloatArray();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                sb.append(j == 0 ? "" : " ").append(px[i * d + j] > 0.5f ? '1' : '0');
            }
            sb.append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static HttpServer serve(Map<String, byte[]> files) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = files.get(exchange.getRequestURI().getPath().substring(1));
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        return server;
    }

    @Test
    void download_verifiesPinnedSha256AndCaches() throws IOException {
        Tensor expected = new Datasets(List.of(SharedData.dir()), tmp, null, Duration.ofSeconds(1))
                .load("binarized-mnist", "test").images();
        HttpServer server = serve(Map.of("binarized_mnist_test.amat", amat(expected)));
        try {
            URI mirror = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            Path cache = tmp.resolve("cache");
            Dataset d = new Datasets(List.of(tmp.resolve("empty")), cache, mirror, Duration.ofSeconds(10))
                    .load("binarized-mnist", "test");
            assertArrayEquals(expected.toFloatArray(), d.images().toFloatArray());
            assertTrue(Files.isRegularFile(cache.resolve("binarized-mnist/binarized_mnist_test.amat")));
            server.stop(0);
            Dataset again = new Datasets(List.of(), cache, mirror, Duration.ofSeconds(1)).load("binarized-mnist", "test");
            assertEquals(10_000, again.size());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void download_badChecksumOr404_failsInOneLineAndLeavesNoFile() throws IOException {
        HttpServer server = serve(Map.of("binarized_mnist_valid.amat", "0 1\n".getBytes(StandardCharsets.US_ASCII)));
        try {
            URI mirror = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            Path cache = tmp.resolve("cache");
            Datasets sets = new Datasets(List.of(tmp.resolve("data")), cache, mirror, Duration.ofSeconds(10));
            IOException bad = assertThrows(IOException.class, () -> sets.load("binarized-mnist", "valid"));
            assertTrue(bad.getMessage().contains("checksum mismatch: expected SHA-256 1de3d397"), bad.getMessage());
            assertTrue(bad.getMessage().endsWith("put the files in DIR/binarized-mnist/ and pass --data-dir DIR, or set "
                    + "AUTODIFF4J_DATA=DIR"), bad.getMessage());
            assertTrue(Files.notExists(cache.resolve("binarized-mnist/binarized_mnist_valid.amat")));
            try (var left = Files.list(cache.resolve("binarized-mnist"))) {
                assertEquals(0, left.count(), "no partial download is left behind");
            }
            IOException missing = assertThrows(IOException.class, () -> sets.load("binarized-mnist", "train"));
            assertTrue(missing.getMessage().contains("HTTP status 404"), missing.getMessage());
            assertTrue(!missing.getMessage().contains("\n"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void grayscale_binarizesByThresholdOrBernoulli() throws IOException {
        Dataset mnist = new Datasets(List.of(SharedData.dir()), tmp, null, Duration.ofSeconds(1)).load("mnist", "test")
                .head(200);
        Tensor thresholded = mnist.thresholded(0.5).images();
        Tensor drawn = mnist.sampleBinarized(new org.autodiff4j.tensor.Generator(1));
        float[] gray = mnist.images().toFloatArray();
        float[] t = thresholded.toFloatArray();
        float[] d = drawn.toFloatArray();
        double meanGray = 0;
        double meanDrawn = 0;
        for (int i = 0; i < gray.length; i++) {
            assertEquals(gray[i] > 0.5f ? 1f : 0f, t[i]);
            assertTrue(d[i] == 0f || d[i] == 1f);
            meanGray += gray[i];
            meanDrawn += d[i];
        }
        assertEquals(meanGray / gray.length, meanDrawn / d.length, 0.005, "Bernoulli draws keep the mean intensity");
        assertArrayEquals(mnist.labels(), mnist.thresholded(0.5).labels());
    }

    @Test
    void load_unknownNameOrSplit_listsTheAllowedOnes() {
        Datasets sets = new Datasets(List.of(), tmp, null, Duration.ofSeconds(1));
        assertEquals("unknown data set 'cifar' (allowed: binarized-mnist, mnist, fashion-mnist)",
                assertThrows(IllegalArgumentException.class, () -> sets.load("cifar", "train")).getMessage());
        assertEquals("mnist has no split 'valid' (allowed: train, test)",
                assertThrows(IllegalArgumentException.class, () -> sets.load("mnist", "valid")).getMessage());
    }
}
