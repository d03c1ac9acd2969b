package org.autodiff4j.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;

import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class BatchesTest {
    private static Tensor rows(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return Tensor.of(v, n, 1);
    }

    @Test
    void epoch_coversEveryRowOnceWithAPartialLastBatch() {
        Batches b = new Batches(rows(10), 4, false);
        List<Tensor> epoch = b.epoch(new Generator(1));
        assertEquals(3, b.count());
        assertEquals(List.of(4, 4, 2), epoch.stream().map(t -> t.shape().dim(0)).toList());
        double[] seen = epoch.stream().flatMapToDouble(t -> Arrays.stream(t.toDoubleArray())).sorted().toArray();
        assertArrayEquals(rows(10).toDoubleArray(), seen);
    }

    @Test
    void shuffle_isSeededAndDiffersBetweenEpochs() {
        Batches b = new Batches(rows(50), 50, false);
        Generator g = new Generator(3);
        double[] first = b.epoch(g).get(0).toDoubleArray();
        double[] second = b.epoch(g).get(0).toDoubleArray();
        assertNotEquals(Arrays.toString(first), Arrays.toString(second));
        assertArrayEquals(first, b.epoch(new Generator(3)).get(0).toDoubleArray());
        assertArrayEquals(rows(50).toDoubleArray(), b.epoch(null).get(0).toDoubleArray());
    }

    @Test
    void dropLast_andTooSmallDatasets() {
        assertEquals(2, new Batches(rows(10), 4, true).count());
        assertEquals("a data set of 3 examples has no full batch of 4",
                assertThrows(IllegalArgumentException.class, () -> new Batches(rows(3), 4, true)).getMessage());
        assertEquals("a data set of 0 examples has no full batch of 4",
                assertThrows(IllegalArgumentException.class,
                        () -> new Batches(Tensor.zeros(DType.FLOAT32, 0, 2), 4, false)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Batches(rows(3), 0, false));
    }
}
