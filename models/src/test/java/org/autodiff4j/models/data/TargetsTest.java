package org.autodiff4j.models.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.autodiff4j.tensor.DType;
import org.autodiff4j.tensor.Generator;
import org.autodiff4j.tensor.Shape;
import org.autodiff4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Float targets of any shape travel with their examples through shuffled, named loaders. */
class TargetsTest {
    @Test
    void targets_followTheirRows_throughAShuffledLoader() {
        Tensor x = Tensor.of(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 10, 1);
        Tensor y = x.mul(2.0).reshape(10, 1, 1).to(DType.FLOAT64);          // any dtype, any shape [n, ...]
        DataLoader loader = new DataLoader(TensorDataset.of(x, y), 4, DataLoader.Order.SHUFFLED, DataLoader.LastBatch.KEEP);
        List<Batch> epoch = loader.epoch(new Generator(3));
        assertEquals(3, epoch.size());
        int seen = 0;
        for (Batch b : epoch) {
            assertEquals(Shape.of(b.size(), 1, 1), b.y().shape());
            assertEquals(DType.FLOAT64, b.y().dtype());
            assertArrayEquals(b.x().mul(2.0).toDoubleArray(), b.y().toDoubleArray());
            assertNull(b.labels());
            seen += b.size();
        }
        assertEquals(10, seen);
        assertEquals(2, new DataLoader(TensorDataset.of(x, y), 4, DataLoader.Order.SEQUENTIAL, DataLoader.LastBatch.DROP)
                .epoch(new Generator(3)).size());
        assertEquals(4.0, new TensorDataset(x, null, y).slice(2, 4).y().getFlat(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TensorDataset.of(x, Tensor.zeros(DType.FLOAT32, 9, 2)));
        assertEquals("TensorDataset: targets [9, 2] for examples [10, 1]: need one row of targets per example", e.getMessage());
    }
}
