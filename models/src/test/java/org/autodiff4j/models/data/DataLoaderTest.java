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

class DataLoaderTest {
    private static TensorDataset rows(int n) {
        double[] v = new double[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
            labels[i] = 100 + i;
        }
        return new TensorDataset(Tensor.of(v, n, 1), labels);
    }

    @Test
    void epoch_coversEveryRowOnceWithAPartialLastBatchAndLabelsFollowTheirRows() {
        DataLoader loader = new DataLoader(rows(10), 4, true, false);
        List<Batch> epoch = loader.epoch(new Generator(1));
        assertEquals(3, loader.batchesPerEpoch());
        assertEquals(List.of(4, 4, 2), epoch.stream().map(Batch::size).toList());
        double[] seen = epoch.stream().flatMapToDouble(b -> Arrays.stream(b.x().toDoubleArray())).sorted().toArray();
        assertArrayEquals(rows(10).x().toDoubleArray(), seen);
        for (Batch b : epoch) {
            double[] x = b.x().toDoubleArray();
            for (int i = 0; i < x.length; i++) {
                assertEquals(100 + (int) x[i], b.labels()[i]);
            }
        }
    }

    @Test
    void shuffle_isSeededAndDiffersBetweenEpochs() {
        DataLoader loader = new DataLoader(rows(50), 50, true, false);
        Generator g = new Generator(3);
        double[] first = loader.epoch(g).get(0).x().toDoubleArray();
        double[] second = loader.epoch(g).get(0).x().toDoubleArray();
        assertNotEquals(Arrays.toString(first), Arrays.toString(second));
        assertArrayEquals(first, loader.epoch(new Generator(3)).get(0).x().toDoubleArray());
        assertArrayEquals(rows(50).x().toDoubleArray(),
                new DataLoader(rows(50), 50, false, false).epoch(null).get(0).x().toDoubleArray());
    }

    @Test
    void dropLast_andTooSmallDatasets() {
        assertEquals(2, new DataLoader(rows(10), 4, false, true).batchesPerEpoch());
        assertEquals("a data set of 3 examples has no full batch of 4",
                assertThrows(IllegalArgumentException.class, () -> new DataLoader(rows(3), 4, false, true)).getMessage());
        assertEquals("a data set of 0 examples has no full batch of 4", assertThrows(IllegalArgumentException.class,
                () -> new DataLoader(TensorDataset.of(Tensor.zeros(DType.FLOAT32, 0, 2)), 4, false, false)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DataLoader(rows(3), 0, false, false));
        assertEquals("TensorDataset: 2 labels for 3 examples", assertThrows(IllegalArgumentException.class,
                () -> new TensorDataset(Tensor.zeros(DType.FLOAT32, 3, 1), new int[2])).getMessage());
    }

    @Test
    void spread_takesEvenlySpacedRows() {
        Dataset d = new Dataset("t", Tensor.of(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 10, 1), new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1);
        Dataset s = Datasets.spread(d, 4);
        assertArrayEquals(new double[] {0, 2, 5, 7}, s.images().toDoubleArray());
        assertArrayEquals(new int[] {0, 2, 5, 7}, s.labels());
        assertEquals(d, Datasets.spread(d, 20));
    }
}
