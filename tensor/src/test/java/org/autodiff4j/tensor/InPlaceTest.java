package org.autodiff4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Views and the in-place forms of ReLU, leaky ReLU and the per-channel affine map. */
class InPlaceTest {

    @Test
    void view_sharesTheStorageAndItsVersion_whereReshapeCopies() {
        Tensor x = Tensor.randn(new Generator(1), DType.FLOAT32, 2, 3, 4);
        Tensor v = x.view(6, 4);
        Tensor r = x.reshape(6, 4);
        assertArrayEquals(x.toFloatArray(), v.toFloatArray());
        int before = v.version();
        x.muli(2.0);
        assertEquals(before + 1, v.version());
        assertArrayEquals(x.toFloatArray(), v.toFloatArray());
        assertEquals(0, r.version());
        assertArrayEquals(x.div(2.0).toFloatArray(), r.toFloatArray());
    }

    @Test
    void viewOfAnotherSize_namesTheOpAndBothShapes() {
        ShapeException e = assertThrows(ShapeException.class, () -> Tensor.zeros(DType.FLOAT32, 2, 3).view(4, 2));
        assertEquals("view: cannot reshape [2, 3] (6 elements) to [4, 2] (8 elements)", e.getMessage());
    }

    @Test
    void reluiAndLeakyRelui_giveTheBitsOfTheirCopies_inBothDtypes() {
        for (DType dtype : DType.values()) {
            Tensor x = Tensor.randn(new Generator(2), dtype, 3, 5, 7);
            Tensor relu = x.relu();
            Tensor leaky = x.leakyRelu(0.2);
            Tensor a = x.copy();
            assertSame(a, a.relui());
            assertArrayEquals(relu.toDoubleArray(), a.toDoubleArray());
            assertTrue(a.version() > 0, "the version moves on");
            Tensor b = x.copy();
            assertSame(b, b.leakyRelui(0.2));
            assertArrayEquals(leaky.toDoubleArray(), b.toDoubleArray());
        }
    }

    @Test
    void affinei_givesTheBitsOfAffine_andMovesTheVersion() {
        for (int[] shape : new int[][] {{4, 3}, {2, 3, 5}, {2, 3, 4, 5}}) {
            for (DType dtype : DType.values()) {
                Generator g = new Generator(3);
                Tensor x = Tensor.randn(g, dtype, shape);
                Tensor scale = Tensor.randn(g, dtype, 3);
                Tensor shift = Tensor.randn(g, dtype, 3);
                Tensor expected = Channels.affine(x, scale, shift);
                Tensor shifted = Channels.affine(x, null, shift);
                Tensor a = x.copy();
                assertSame(a, Channels.affinei(a, scale, shift));
                assertArrayEquals(expected.toDoubleArray(), a.toDoubleArray());
                assertEquals(1, a.version());
                Tensor b = x.copy();
                assertArrayEquals(shifted.toDoubleArray(), Channels.affinei(b, null, shift).toDoubleArray());
            }
        }
    }

    @Test
    void affineiWithAWrongOperand_throwsBeforeWritingAnything() {
        Tensor x = Tensor.ones(DType.FLOAT32, 2, 3, 4);
        ShapeException e = assertThrows(ShapeException.class,
                () -> Channels.affinei(x, null, Tensor.ones(DType.FLOAT32, 4)));
        assertEquals("affinei: per-channel operand [4] does not fit 3 channels", e.getMessage());
        assertEquals(0, x.version());
        assertArrayEquals(Tensor.ones(DType.FLOAT32, 2, 3, 4).toFloatArray(), x.toFloatArray());
    }
}
