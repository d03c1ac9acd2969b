package org.autodiff4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShapeTest {

    @Test
    void toString_printsLikePyTorch() {
        assertEquals("[2, 3]", Shape.of(2, 3).toString());
        assertEquals("[]", Shape.SCALAR.toString());
    }

    @Test
    void equals_comparesDimensions() {
        assertEquals(Shape.of(2, 3), Shape.of(2, 3));
        assertEquals(Shape.of(2, 3).hashCode(), Shape.of(2, 3).hashCode());
        assertFalse(Shape.of(2, 3).equals(Shape.of(3, 2)));
    }

    @Test
    void dims_isDefensivelyCopied() {
        int[] d = {2, 3};
        Shape s = Shape.of(d);
        d[0] = 9;
        s.dims()[1] = 9;
        assertEquals(Shape.of(2, 3), s);
    }

    @Test
    void broadcastWith_followsNumpyRules() {
        assertEquals(Shape.of(4, 3), Shape.of(4, 3).broadcastWith(Shape.of(3), "add"));
        assertEquals(Shape.of(4, 3), Shape.of(4, 1).broadcastWith(Shape.of(1, 3), "add"));
        assertEquals(Shape.of(4, 3), Shape.SCALAR.broadcastWith(Shape.of(4, 3), "add"));
        assertEquals(Shape.of(4, 3), Shape.of(3).broadcastWith(Shape.of(4, 1), "add"));
    }

    @Test
    void broadcastWith_incompatible_namesOpShapesAndAxis() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> Shape.of(2, 3).broadcastWith(Shape.of(4, 5), "mul"));
        assertEquals("mul: shapes cannot be broadcast: [2, 3] vs [4, 5] (axis -1: 3 != 5)", e.getMessage());
    }

    @Test
    void broadcastsTo_acceptsOnlyExpansions() {
        assertTrue(Shape.of(1, 3).broadcastsTo(Shape.of(4, 3)));
        assertTrue(Shape.SCALAR.broadcastsTo(Shape.of(4, 3)));
        assertFalse(Shape.of(4, 3).broadcastsTo(Shape.of(1, 3)));
        assertFalse(Shape.of(2, 4, 3).broadcastsTo(Shape.of(4, 3)));
    }

    @Test
    void normalizeAxis_outOfRange_namesOpAndShape() {
        assertEquals(1, Shape.of(2, 3).normalizeAxis(-1, "sum"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Shape.of(2, 3).normalizeAxis(2, "sum"));
        assertEquals("sum: axis 2 is out of range for shape [2, 3] (rank 2)", e.getMessage());
    }

    @Test
    void negativeDimension_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> Shape.of(2, -1));
    }
}
