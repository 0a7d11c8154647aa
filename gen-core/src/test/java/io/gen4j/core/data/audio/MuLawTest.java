package io.gen4j.core.data.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.testing.BlockChecks;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class MuLawTest {

    private final MuLaw codec = MuLaw.standard();

    @Property(tries = 500, seed = "7")
    void roundTripWithinBound(@ForAll @DoubleRange(min = -1, max = 1) double x) {
        double back = codec.decode(codec.encode(x));
        assertTrue(Math.abs(back - x) <= codec.errorBound(x) + 1e-12,
                "x=" + x + " back=" + back + " bound=" + codec.errorBound(x));
    }

    @Property(tries = 300, seed = "8")
    void compressExpandAreInverse(@ForAll @DoubleRange(min = -1, max = 1) double x) {
        assertEquals(x, codec.expand(codec.compress(x)), 1e-12);
    }

    @Test
    void monotonicOverAFineSweep() {
        int previous = -1;
        for (int i = 0; i <= 200_000; i++) {
            double x = -1 + 2.0 * i / 200_000;
            int c = codec.encode(x);
            assertTrue(c >= previous, "encode decreases at " + x);
            previous = c;
        }
        for (int c = 1; c < 256; c++) {
            assertTrue(codec.decode(c) > codec.decode(c - 1), "decode not increasing at " + c);
        }
    }

    @Test
    void endpointsAndSymmetry() {
        assertEquals(256, codec.classes());
        assertEquals(0, codec.encode(-1.0));
        assertEquals(255, codec.encode(1.0));
        assertEquals(0, codec.encode(-3.0));
        assertEquals(255, codec.encode(7.0));
        assertEquals(-1.0, codec.decode(0), 1e-15);
        assertEquals(1.0, codec.decode(255), 1e-15);
        assertEquals(-codec.decode(127), codec.decode(128), 1e-15);
        assertTrue(Math.abs(codec.decode(128)) < 1e-4, "the classes next to 0 are tiny");
        assertEquals(0.0, codec.compress(0.0));
        assertEquals(Math.log(256) / 255 / 255 * 256 * Math.pow(256, 1.0 / 255), codec.errorBound(1.0), 1e-15);
        // the bound is nearly tight at the largest step
        double worst = 0;
        for (int i = 0; i <= 100_000; i++) {
            double x = 0.9 + 0.1 * i / 100_000;
            worst = Math.max(worst, Math.abs(codec.decode(codec.encode(x)) - x));
        }
        assertTrue(worst > 0.9 * codec.errorBound(0.99), "worst " + worst);
        assertThrows(IllegalArgumentException.class, () -> codec.decode(256));
        assertThrows(IllegalArgumentException.class, () -> codec.encode(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new MuLaw(0));
    }

    @Test
    void finerNearZero() {
        // 8-bit mu-law spends half its classes on |x| < expand(1/2) = 15/255
        assertEquals(15.0 / 255, codec.expand(0.5), 1e-15);
        int inner = codec.encode(15.0 / 255) - codec.encode(-15.0 / 255);
        assertTrue(inner >= 127 && inner <= 129, "classes for |x| < 15/255: " + inner);
    }

    @Test
    void arrayVariants() {
        float[] x = {-1f, -0.5f, 0f, 0.25f, 1f};
        int[] c = codec.encode(x);
        float[] back = codec.decode(c);
        for (int i = 0; i < x.length; i++) {
            assertTrue(Math.abs(back[i] - x[i]) <= codec.errorBound(x[i]) + 1e-6);
        }
    }

    /** On the device: the scalar methods' classes for every sample of a fine sweep, random draws and the edges. */
    @Test
    void deviceEncodeGivesTheScalarClasses() {
        int sweep = 240_001;
        float[] x = new float[sweep + 9_999 + 8];
        for (int i = 0; i < sweep; i++) {
            x[i] = (float) (-1.2 + 2.4 * i / (sweep - 1));
        }
        Random random = new Random(3);
        for (int i = 0; i < 9_999; i++) {
            x[sweep + i] = (float) (random.nextGaussian() * 0.05);
        }
        float[] edges = {-1f, 1f, 0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 5f, Float.NEGATIVE_INFINITY};
        System.arraycopy(edges, 0, x, sweep + 9_999, edges.length);
        int[] expected = codec.encode(x);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray samples = manager.create(x, new Shape(x.length / 8, 8));
            NDArray classes = onlyResult(manager, samples, codec::encode, DataType.INT32);
            assertArrayEquals(expected, classes.toIntArray());
            assertArrayEquals(expected, codec.encode(samples.toType(DataType.FLOAT64, false)).toIntArray());
            int[] mu7 = new MuLaw(7).encode(x);
            assertArrayEquals(mu7, new MuLaw(7).encode(samples).toIntArray());
        }
    }

    /** On the device: every class decodes to the scalar method's sample; classes outside [0, mu] are clamped. */
    @Test
    void deviceDecodeGivesTheScalarSamples() {
        int[] classes = new int[258];
        for (int c = 0; c < 256; c++) {
            classes[c] = c;
        }
        classes[256] = -3;
        classes[257] = 300;
        float[] expected = new float[258];
        for (int c = 0; c < 256; c++) {
            expected[c] = (float) codec.decode(c);
        }
        expected[256] = (float) codec.decode(0);
        expected[257] = (float) codec.decode(255);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray in = manager.create(classes, new Shape(2, 129));
            NDArray out = onlyResult(manager, in, codec::decode, DataType.FLOAT32);
            assertArrayEquals(expected, out.toFloatArray());
            assertArrayEquals(expected, codec.decode(in.toType(DataType.INT64, false)).toFloatArray());
        }
    }

    /** Applies f and checks that it left only its result in the manager, of the given type and x's shape. */
    private static NDArray onlyResult(NDManager manager, NDArray x, java.util.function.UnaryOperator<NDArray> f,
            DataType type) {
        int before = BlockChecks.countManagedArrays(manager);
        NDArray y = f.apply(x);
        assertEquals(before + 1, BlockChecks.countManagedArrays(manager), "only the result is left");
        assertEquals(type, y.getDataType());
        assertEquals(x.getShape(), y.getShape());
        return y;
    }
}
