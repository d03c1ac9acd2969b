package org.autodiff4j.runs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ChartsTest {
    @Test
    void yRange_padsTheExtentByFivePercent() {
        assertArrayEquals(new double[] {0.8, 5.2}, Charts.yRange(List.of(new double[] {100, 1, 5}, new double[] {9, 3, 2}), 1), 1e-12);
    }

    @Test
    void yRange_ofAFlatSeriesIsFivePercentOfItsValue() {
        assertArrayEquals(new double[] {0.95e-3, 1.05e-3}, Charts.yRange(List.of(new double[] {1e-3, 1e-3, 1e-3}), 0), 1e-15);
        assertArrayEquals(new double[] {-1e-9, 1e-9}, Charts.yRange(List.of(new double[] {0, 0}), 0), 0);
    }

    @Test
    void xLabelsAreSlanted_forWholeNumbersOfFourDigits() {
        assertTrue(Charts.countsPastThousand(new double[] {1, 2, 1200}));
        assertFalse(Charts.countsPastThousand(new double[] {1, 2, 999}));
        assertFalse(Charts.countsPastThousand(new double[] {0.5, 1000.5}));
    }
}
