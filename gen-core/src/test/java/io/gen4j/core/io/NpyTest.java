package io.gen4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.DatasetFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Npy} against files written by real NumPy, round trips and corrupt files. */
class NpyTest {

    @TempDir
    Path dir;

    static List<String> npyFixtures() {
        return NumpyFixtures.arrayFixtures(".npy");
    }

    /** The little-endian, version-1.0 files: what np.save writes by default. */
    static List<String> npSaveFixtures() {
        return npyFixtures().stream()
                .filter(n -> !n.contains("-be") && !n.contains("-v2") && !n.contains("-v3"))
                .toList();
    }

    @ParameterizedTest
    @MethodSource("npyFixtures")
    void readsWhatNumpyWrote(String name) throws IOException {
        NumpyArray read = Npy.read(NumpyFixtures.file(name));
        NumpyArray expected = NumpyFixtures.expected(name);
        assertEquals(expected.type(), read.type(), name);
        assertEquals(expected.shape(), read.shape(), name);
        assertEquals(expected, read, name + ": values differ");
    }

    @ParameterizedTest
    @MethodSource("npSaveFixtures")
    void writesTheBytesNpSaveWrites(String name) throws IOException {
        Path out = dir.resolve(name);
        Npy.write(out, Npy.read(NumpyFixtures.file(name)));
        assertArrayEquals(Files.readAllBytes(NumpyFixtures.file(name)), Files.readAllBytes(out), name);
    }

    @ParameterizedTest
    @MethodSource("npyFixtures")
    void readsIntoNDArraysOfTheMatchingType(String name) throws IOException {
        NumpyArray expected = NumpyFixtures.expected(name);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = Npy.read(NumpyFixtures.file(name), manager);
            assertEquals(expected.type().dataType(), x.getDataType(), name);
            assertEquals(expected.shape(), x.getShape(), name);
            NumpyArray back = NumpyArray.of(x);
            if (expected.type() == NumpyType.INT16) {
                assertEquals(expected.asType(NumpyType.INT32), back, name);
            } else {
                assertEquals(expected, back, name);
            }
        }
    }

    @Test
    void bigEndianValuesAreSwapped() throws IOException {
        // DJL 0.36's NDList.decode returns these bytes unswapped: 1.5f reads as a denormal 6.9e-41.
        NumpyArray f = Npy.read(NumpyFixtures.file("float32-be.npy"));
        assertEquals(1.5f, f.toFloatArray()[2]);
        NumpyArray i = Npy.read(NumpyFixtures.file("int16-be.npy"));
        assertArrayEquals(new int[] {-32768, -300, -1, 0, 5, 32767}, i.toIntArray());
    }

    @ParameterizedTest
    @EnumSource(NumpyType.class)
    void everyTypeRoundTripsThroughAFile(NumpyType type) throws IOException {
        NumpyArray a = randomArray(type, new Shape(3, 4), new Random(7 + type.ordinal()));
        Path file = dir.resolve(type + ".npy");
        Npy.write(file, a);
        assertEquals(a, Npy.read(file));
    }

    @ParameterizedTest
    @EnumSource(value = NumpyType.class, names = "INT16", mode = EnumSource.Mode.EXCLUDE)
    void everyTypeRoundTripsFromAndToNDArrays(NumpyType type) throws IOException {
        NumpyArray a = randomArray(type, new Shape(2, 3, 2), new Random(11 + type.ordinal()));
        Path file = dir.resolve(type + ".npy");
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = a.toNDArray(manager);
            assertEquals(type.dataType(), x.getDataType());
            Npy.write(file, x);
            NDArray back = Npy.read(file, manager);
            assertEquals(x.getDataType(), back.getDataType());
            assertEquals(a, NumpyArray.of(back));
        }
    }

    @Property(tries = 40, seed = "20261201")
    void anyShapeRoundTrips(
            @ForAll NumpyType type,
            @ForAll @IntRange(min = 0, max = 4) int rank,
            @ForAll @IntRange(min = 0, max = 1000) int seed) throws IOException {
        Random random = new Random(seed);
        long[] dims = new long[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = random.nextInt(4);
        }
        NumpyArray a = randomArray(type, new Shape(dims), random);
        Path file = Files.createTempFile("npy-property", ".npy");
        try {
            Npy.write(file, a);
            assertEquals(a, Npy.read(file));
            assertEquals(0, (Files.size(file) - dataBytes(a)) % 64, "the header is a multiple of 64 bytes");
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void nonContiguousNDArraysAreWrittenInCOrder() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.arange(6f).reshape(2, 3).transpose();
            Path file = dir.resolve("t.npy");
            Npy.write(file, x);
            NumpyArray back = Npy.read(file);
            assertEquals(new Shape(3, 2), back.shape());
            assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, back.toFloatArray());
        }
    }

    @Test
    void conversionsFollowNumpyAstype() {
        NumpyArray f = NumpyArray.of(new double[] {-1.7, 0.0, 2.9, 300.0}, new Shape(4));
        assertArrayEquals(new int[] {-1, 0, 2, 300}, f.asType(NumpyType.INT32).toIntArray());
        assertArrayEquals(new int[] {255, 0, 2, 44}, f.asType(NumpyType.UINT8).toIntArray());
        assertArrayEquals(new int[] {1, 0, 1, 1}, f.asType(NumpyType.BOOL).toIntArray());
        assertThrows(IllegalStateException.class, f::toIntArray);
        NumpyArray big = NumpyArray.of(new long[] {1L << 40}, new Shape(1));
        assertThrows(IllegalStateException.class, big::toIntArray);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fortran.npy", "object.npy", "structured.npy", "float16.npy", "unicode.npy"})
    void refusesWhatItCannotRepresentNamingTheFile(String name) {
        Path file = NumpyFixtures.file(name);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> Npy.read(file));
        assertEquals(file, e.file());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        String expected = switch (name) {
            case "fortran.npy" -> "Fortran-order";
            case "object.npy" -> "object array";
            case "structured.npy" -> "structured dtype";
            case "float16.npy" -> "'<f2' (float16)";
            default -> "unicode string";
        };
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void corruptFilesRaiseClearErrors() throws IOException {
        byte[] good = Files.readAllBytes(NumpyFixtures.file("float32-le.npy"));

        assertProblem(write("magic.npy", "hello world".getBytes()), "starts with 0x68656c6c6f20");
        assertProblem(write("empty.npy", new byte[0]), "nothing (empty)");
        assertProblem(NumpyFixtures.file("single.npz"), "zip archive: a .npz?");
        assertProblem(write("data.npy", Arrays.copyOf(good, good.length - 5)),
                "truncated: the header announces float32 (2, 3) = 24 data bytes but only 19 follow");
        assertProblem(write("header.npy", Arrays.copyOf(good, 40)), "truncated header: 30 of 118 bytes");
        assertProblem(write("long.npy", Arrays.copyOf(good, good.length + 3)), "wrong length");
        byte[] v4 = good.clone();
        v4[6] = 4;
        assertProblem(write("v4.npy", v4), "unsupported .npy format version 4.0");
        byte[] noShape = good.clone();
        int at = new String(good, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("'shape'");
        noShape[at + 1] = 'S';
        assertProblem(write("noshape.npy", noShape), "no 'shape'");
        byte[] garbled = good.clone();
        garbled[12] = '@';
        assertProblem(write("garbled.npy", garbled), "malformed header");
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static void assertProblem(Path file, String fragment) {
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> Npy.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
        assertFalse(e.getMessage().contains("null"), e.getMessage());
    }

    private static long dataBytes(NumpyArray a) {
        return a.shape().size() * a.type().itemSize();
    }

    /** Random values covering each type's range (floats include negatives and tiny magnitudes). */
    static NumpyArray randomArray(NumpyType type, Shape shape, Random random) {
        int n = (int) shape.size();
        byte[] bytes = new byte[n * type.itemSize()];
        random.nextBytes(bytes);
        if (type == NumpyType.BOOL) {
            for (int i = 0; i < n; i++) {
                bytes[i] = (byte) (bytes[i] & 1);
            }
        }
        if (type.isFloating()) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = random.nextGaussian() * Math.pow(10, random.nextInt(10) - 5);
            }
            NumpyArray d = NumpyArray.of(v, shape);
            return type == NumpyType.FLOAT64 ? d : d.asType(NumpyType.FLOAT32);
        }
        return new NumpyArray(type, shape, bytes);
    }
}
