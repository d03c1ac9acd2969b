package org.autodiff4j.models.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The Fréchet distance against its closed forms, and the image classifier whose features it reads. */
class FrechetDistanceTest {
    private static FrechetDistance.Gaussian gaussian(double[] mean, double[] cov, int d) {
        return new FrechetDistance.Gaussian(Tensor.of(mean, d), Tensor.of(cov, d, d));
    }

    @Test
    void closedForms_oneDimensionDiagonalAndGeneral() {
        // 1-D: (m1 - m2)^2 + (s1 - s2)^2
        assertEquals(4.0 + 1.0, FrechetDistance.between(gaussian(new double[] {1}, new double[] {4}, 1),
                gaussian(new double[] {3}, new double[] {1}, 1)), 1e-12);
        // diagonal: sum of the 1-D terms
        assertEquals(1.0 + (3 - 1) * (3 - 1) + (2 - 5) * (2 - 5), FrechetDistance.between(
                gaussian(new double[] {0, 0}, new double[] {9, 0, 0, 4}, 2),
                gaussian(new double[] {1, 0}, new double[] {1, 0, 0, 25}, 2)), 1e-12);
        // general: against tr(S1 + S2 - 2 (S1 S2)^(1/2)) with (S1 S2)^(1/2) from the 2x2 closed form
        // sqrt(M) = (M + sqrt(det M) I) / sqrt(tr M + 2 sqrt(det M)) for M with positive eigenvalues
        double[] s1 = {2, 1, 1, 2};
        double[] s2 = {3, -1, -1, 1};
        double[] m = {s1[0] * s2[0] + s1[1] * s2[2], s1[0] * s2[1] + s1[1] * s2[3],
                      s1[2] * s2[0] + s1[3] * s2[2], s1[2] * s2[1] + s1[3] * s2[3]};
        double det = m[0] * m[3] - m[1] * m[2];
        double traceRoot = (m[0] + m[3] + 2 * Math.sqrt(det)) / Math.sqrt(m[0] + m[3] + 2 * Math.sqrt(det));
        double expected = 4 + 4 - 2 * traceRoot;
        assertEquals(expected, FrechetDistance.between(gaussian(new double[] {0, 0}, s1, 2),
                gaussian(new double[] {0, 0}, s2, 2)), 1e-12);
    }

    @Test
    void sampleEstimates_sameSetIsZero_shiftAddsItsSquare() {
        Tensor a = Tensor.randn(new Generator(1), DType.FLOAT32, 2000, 16);
        assertEquals(0.0, FrechetDistance.between(a, a), 1e-6);
        Tensor shifted = a.add(0.5);
        assertEquals(16 * 0.25, FrechetDistance.between(a, shifted), 1e-4);
        Tensor b = Tensor.randn(new Generator(2), DType.FLOAT32, 2000, 16);
        double d = FrechetDistance.between(a, b);
        assertTrue(d > 0 && d < 0.2, "two samples of one Gaussian: " + d);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FrechetDistance.between(a, Tensor.zeros(DType.FLOAT32, 10, 8)));
        assertEquals("FrechetDistance: features of [16] and [8] differ in size", e.getMessage());
        assertEquals("FrechetDistance: needs [n, d] features with n >= 2, got [1, 8]", assertThrows(
                IllegalArgumentException.class, () -> FrechetDistance.Gaussian.of(Tensor.zeros(DType.FLOAT32, 1, 8)))
                .getMessage());
    }

    @Test
    void classifier_learnsTwoSeparableClasses_andGivesItsFeatures() {
        // class 0: a bright left half, class 1: a bright right half, with noise
        int n = 256;
        Generator g = new Generator(4);
        Tensor noise = Tensor.uniform(g, 0, 0.5, DType.FLOAT32, n, 8, 8);
        int[] labels = new int[n];
        float[] mask = new float[n * 64];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            for (int r = 0; r < 8; r++) {
                for (int c = 0; c < 8; c++) {
                    mask[i * 64 + r * 8 + c] = (c < 4) == (labels[i] == 0) ? 0.5f : 0f;
                }
            }
        }
        Tensor images = noise.add(Tensor.of(mask, n, 8, 8)).reshape(n, 64);
        var data = new org.autodiff4j.models.data.Dataset("halves", images, labels, 8, 8);
        ImageClassifier c = new ImageClassifier(8, 2, new Generator(5));
        c.fit(data, 3, false, 1.0, new Generator(6), new org.autodiff4j.models.train.TrainListener() { });
        assertTrue(c.accuracy(data) > 0.95, "accuracy " + c.accuracy(data));
        assertEquals(org.autodiff4j.tensor.Shape.of(n, ImageClassifier.FEATURES), c.features(images).shape());
        assertTrue(c.isTraining(), "features leave the mode as it was");
        assertEquals("ImageClassifier: needs [n, 64] images, got [3, 10]", assertThrows(IllegalArgumentException.class,
                () -> c.features(Tensor.zeros(DType.FLOAT32, 3, 10))).getMessage());
    }

    @Test
    void classCounts_countTheMostLikelyClassOfEachImageFromItsFeatures() {
        ImageClassifier c = new ImageClassifier(8, 3, new Generator(5));
        // rows of different brightness, so that the untrained classifier sends them to different classes
        Tensor images = Tensor.uniform(new Generator(6), 0, 1, DType.FLOAT32, 250, 64)
                .mul(Tensor.uniform(new Generator(7), 0, 1, DType.FLOAT32, 250, 1));
        int[] expected = new int[3];
        for (int k : c.probabilities(images).argmax(1)) {
            expected[k]++;
        }
        int[] counts = c.classCounts(c.features(images));
        assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(counts));
        assertEquals(250, java.util.Arrays.stream(counts).sum());
        assertTrue(java.util.Arrays.stream(counts).filter(k -> k > 0).count() >= 2, "the images fall in several classes");
        assertThrows(IllegalArgumentException.class, () -> c.classCounts(images));
    }
}
