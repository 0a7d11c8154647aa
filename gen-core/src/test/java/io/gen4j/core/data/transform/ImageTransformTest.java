package io.gen4j.core.data.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gen4j.core.data.ColorMode;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every transform against pixels computed by hand. */
class ImageTransformTest {

    private static ByteImage image(int c, int h, int w, int... values) {
        byte[] px = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            px[i] = (byte) values[i];
        }
        return new ByteImage(c, h, w, px);
    }

    private static int[] values(ByteImage im) {
        int[] out = new int[im.pixels().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = im.pixels()[i] & 0xFF;
        }
        return out;
    }

    /** A Random whose draws are fixed. */
    private static final class Fixed extends Random {
        private static final long serialVersionUID = 1L;
        private final int[] ints;
        private final double dbl;
        private int next;

        Fixed(double dbl, int... ints) {
            this.dbl = dbl;
            this.ints = ints;
        }

        @Override
        public int nextInt(int bound) {
            int v = ints[next++];
            assertTrue(v < bound, "draw " + v + " not below " + bound);
            return v;
        }

        @Override
        public double nextDouble() {
            return dbl;
        }
    }

    @Test
    void resizeShrinksByTheTriangleFilter() {
        // 2x2 -> 1x1: both taps of each side weigh 0.75 -> the mean (0 + 100 + 200 + 40) / 4
        assertArrayEquals(new int[] {85}, values(new Resize(1).apply(image(1, 2, 2, 0, 100, 200, 40), null)));
        // width 4 -> 2 (scale 2, triangle 2 pixels wide): out 0 = (0.75*0 + 0.75*40 + 0.25*80) / 1.75 = 28.57,
        // out 1 = (0.25*40 + 0.75*80 + 0.75*120) / 1.75 = 91.43; the two equal rows average to themselves
        ByteImage r = new Resize(1).apply(image(1, 2, 4, 0, 40, 80, 120, 0, 40, 80, 120), null);
        assertEquals("1x1x2", r.shapeText());
        assertArrayEquals(new int[] {29, 91}, values(r));
    }

    @Test
    void resizeEnlargesBilinearlyWithHalfPixelCentres() {
        // 1x2 -> 2x4: columns at centres 0.25, 0.75, 1.25, 1.75 -> a, .75a+.25b, .25a+.75b, b
        ByteImage r = new Resize(2).apply(image(1, 1, 2, 0, 100), null);
        assertEquals("1x2x4", r.shapeText());
        assertArrayEquals(new int[] {0, 25, 75, 100, 0, 25, 75, 100}, values(r));
    }

    @Test
    void resizeKeepsTheAspectRatioOnTheShorterSide() {
        ByteImage tall = new ByteImage(3, 60, 40, new byte[3 * 60 * 40]);
        assertEquals("3x48x32", new Resize(32).apply(tall, null).shapeText());
        ByteImage same = new ByteImage(1, 28, 28, new byte[28 * 28]);
        assertSame(same, new Resize(28).apply(same, null));
    }

    @Test
    void centerCropTakesTheMiddle() {
        int[] v = new int[16];
        for (int i = 0; i < 16; i++) {
            v[i] = i;
        }
        assertArrayEquals(new int[] {5, 6, 9, 10}, values(new CenterCrop(2).apply(image(1, 4, 4, v), null)));
        // 3 rows x 5 columns -> 2x2: top floor(1/2) = 0, left floor(3/2) = 1
        int[] w = new int[15];
        for (int i = 0; i < 15; i++) {
            w[i] = i;
        }
        assertArrayEquals(new int[] {1, 2, 6, 7}, values(new CenterCrop(2).apply(image(1, 3, 5, w), null)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CenterCrop(5).apply(image(1, 4, 4, v), null));
        assertTrue(e.getMessage().contains("at least 5x5, got 4x4"), e.getMessage());
    }

    @Test
    void randomCropPadsWithBlackAndUsesItsDraws() {
        // 3x3 image 1..9, padding 1 -> 5x5 padded; draws: row offset 0 (top = -1), column offset 3 (left = 2)
        ByteImage im = image(1, 3, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        ByteImage r = new RandomCrop(2, 1).apply(im, new Fixed(0, 0, 3));
        assertArrayEquals(new int[] {0, 0, 3, 0}, values(r));
        // no padding on a 3x3 -> 2x2: offsets in {0, 1}
        assertArrayEquals(new int[] {5, 6, 8, 9}, values(RandomCrop.of(2).apply(im, new Fixed(0, 1, 1))));
    }

    @Test
    void horizontalFlipMirrorsEveryRowOfEveryChannel() {
        ByteImage im = image(3, 1, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertArrayEquals(new int[] {3, 2, 1, 6, 5, 4, 9, 8, 7},
                values(new HorizontalFlip(1).apply(im, new Fixed(0.999))));
        assertSame(im, new HorizontalFlip(0.5).apply(im, new Fixed(0.5)));
        assertArrayEquals(new int[] {3, 2, 1, 6, 5, 4, 9, 8, 7},
                values(new HorizontalFlip(0.5).apply(im, new Fixed(0.4999))));
        assertThrows(IllegalArgumentException.class, () -> new HorizontalFlip(1.5));
    }

    @Test
    void colorConversionUsesBt601LumaAndReplicatesGray() {
        // R, G, B planes of two pixels: (200, 100, 50) -> 59.8 + 58.7 + 5.7 = 124.2; (255, 255, 255) -> 255
        ByteImage rgb = image(3, 1, 2, 200, 255, 100, 255, 50, 255);
        assertArrayEquals(new int[] {124, 255}, values(new ColorConversion(ColorMode.GRAYSCALE).apply(rgb, null)));
        ByteImage gray = image(1, 1, 2, 7, 250);
        assertArrayEquals(new int[] {7, 250, 7, 250, 7, 250},
                values(new ColorConversion(ColorMode.RGB).apply(gray, null)));
        assertSame(gray, new ColorConversion(ColorMode.GRAYSCALE).apply(gray, null));
    }

    @Test
    void composeAppliesInOrderAndDescribesItself() {
        int[] v = new int[16];
        for (int i = 0; i < 16; i++) {
            v[i] = i;
        }
        ImageTransform t = new CenterCrop(2).andThen(new HorizontalFlip(1));
        assertArrayEquals(new int[] {6, 5, 10, 9}, values(t.apply(image(1, 4, 4, v), new Fixed(0))));
        assertEquals("center-crop(2) -> horizontal-flip(p=1.0)", t.describe());
        assertEquals("none", ImageTransform.identity().describe());
        assertEquals(3, Compose.of(t, new Resize(2)).steps().size());
    }
}
