package io.gen4j.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The pixel mappings at their edges: 0, 255, halves, and clamping outside the range. */
class PixelRangeTest {

    @Test
    void byteRangeIsTheIdentityOnLevels() {
        for (int v = 0; v < 256; v++) {
            assertEquals(v, PixelRange.BYTE.toFloat(v), 0f);
            assertEquals(v, PixelRange.BYTE.toPixel((float) v));
            assertEquals(v, PixelRange.BYTE.toPixel((double) v));
        }
        assertEquals(0f, PixelRange.BYTE.low());
        assertEquals(255f, PixelRange.BYTE.high());
    }

    @Test
    void edgesAndClampingOfEveryRange() {
        assertEquals(0, PixelRange.ZERO_ONE.toPixel(0.0));
        assertEquals(255, PixelRange.ZERO_ONE.toPixel(1.0));
        assertEquals(0, PixelRange.ZERO_ONE.toPixel(-0.2));
        assertEquals(255, PixelRange.ZERO_ONE.toPixel(1.0001));
        assertEquals(0, PixelRange.MINUS_ONE_ONE.toPixel(-1.0));
        assertEquals(255, PixelRange.MINUS_ONE_ONE.toPixel(1.0));
        assertEquals(0, PixelRange.MINUS_ONE_ONE.toPixel(-7.0));
        assertEquals(255, PixelRange.MINUS_ONE_ONE.toPixel(3.0));
        assertEquals(0, PixelRange.BYTE.toPixel(-0.4));
        assertEquals(0, PixelRange.BYTE.toPixel(-300.0));
        assertEquals(255, PixelRange.BYTE.toPixel(255.4));
        assertEquals(255, PixelRange.BYTE.toPixel(1e9));
        assertEquals(0, PixelRange.BYTE.toPixel(Double.NaN));
        assertEquals(0, PixelRange.BYTE.toPixel(Float.NEGATIVE_INFINITY));
        assertEquals(255, PixelRange.BYTE.toPixel(Double.POSITIVE_INFINITY));
    }

    @Test
    void halvesRoundUpInBothPrecisions() {
        // 255 x = 127.5 exactly: the level above
        assertEquals(128, PixelRange.ZERO_ONE.toPixel(0.5));
        assertEquals(128, PixelRange.ZERO_ONE.toPixel(0.5f));
        assertEquals(128, PixelRange.MINUS_ONE_ONE.toPixel(0.0));
        assertEquals(128, PixelRange.BYTE.toPixel(127.5));
        assertEquals(254, PixelRange.BYTE.toPixel(254.49));
        assertEquals(255, PixelRange.BYTE.toPixel(254.5));
        // -1, 0, 1, 0.5 in [-1, 1]: the levels gen4j eval reads from a DDPM's samples
        int[] expected = {0, 128, 255, 191};
        double[] x = {-1, 0, 1, 0.5};
        for (int i = 0; i < x.length; i++) {
            assertEquals(expected[i], PixelRange.MINUS_ONE_ONE.toPixel(x[i]));
            assertEquals(expected[i], PixelRange.MINUS_ONE_ONE.toPixel((float) x[i]));
        }
    }

    @Test
    void doublePathKeepsPrecisionTheFloatPathLoses() {
        // 0.5 − 1e-12 is below the half in double but rounds to 0.5f in float
        assertEquals(127, PixelRange.ZERO_ONE.toPixel(0.5 - 1e-12));
        assertEquals(128, PixelRange.ZERO_ONE.toPixel((float) (0.5 - 1e-12)));
    }

    @Test
    void outOfRangePixelValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> PixelRange.BYTE.toFloat(256));
        assertThrows(IllegalArgumentException.class, () -> PixelRange.ZERO_ONE.toFloat(-1));
    }
}
