package io.gen4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.DatasetFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Csv}: NumPy's savetxt files, round trips, and errors that point at line and column. */
class CsvTest {

    @TempDir
    Path dir;

    @Test
    void readsNumpySavetxtWithHeaderOrComment() throws IOException {
        NumpyArray points = NumpyFixtures.expected("points-f8.npy");
        assertEquals(points, Csv.read(NumpyFixtures.file("points-header.csv")));
        assertEquals(points, Csv.read(NumpyFixtures.file("points-spaces.txt")));
    }

    @Test
    void readsCommaAndWhitespaceRowsBlankLinesAndSpecialValues() throws IOException {
        Path file = write("mixed.csv", "\uFEFFx, y\n\n1, 2\n# a comment\n-3.5e1 .25\nNaN,-inf\n");
        NumpyArray a = Csv.read(file);
        assertEquals(new Shape(3, 2), a.shape());
        assertArrayEquals(new double[] {1, 2, -35, 0.25, Double.NaN, Double.NEGATIVE_INFINITY}, a.toDoubleArray());
    }

    @Test
    void errorsNameTheFileLineAndColumn() throws IOException {
        Path word = write("word.csv", "x,y\n1,2\n3,abc\n");
        assertProblem(word, "line 3, column 2: 'abc' is not a number");
        Path ragged = write("ragged.csv", "1 2\n3 4\n5 6 7\n");
        assertProblem(ragged, "line 3 has 3 columns, expected 2 as on line 1");
        Path emptyField = write("empty-field.csv", "1,2\n3,\n");
        assertProblem(emptyField, "line 2, column 2: '' is not a number");
        Path javaSuffix = write("suffix.csv", "1.5f,2\n");
        assertProblem(javaSuffix, "line 1, column 1: '1.5f' is not a number");
        assertProblem(write("header-only.csv", "x,y\n"), "has no data rows");
        assertProblem(write("nothing.csv", ""), "has no data rows");
    }

    @Test
    void writesHeaderAndRowsThatReadBack() throws IOException {
        NumpyArray points = NumpyFixtures.expected("points-f8.npy");
        Path file = dir.resolve("points.csv");
        Csv.write(file, points, "x", "y");
        assertEquals("x,y", Files.readAllLines(file).get(0));
        assertEquals(points, Csv.read(file));
    }

    @Test
    void writesAVectorAsOneColumn() throws IOException {
        Path file = dir.resolve("ll.csv");
        Csv.write(file, NumpyArray.of(new double[] {-1.5, Double.NaN, Double.POSITIVE_INFINITY}), "log_likelihood");
        assertEquals(List.of("log_likelihood", "-1.5", "nan", "inf"), Files.readAllLines(file));
        NumpyArray back = Csv.read(file);
        assertEquals(new Shape(3, 1), back.shape());
        assertArrayEquals(new double[] {-1.5, Double.NaN, Double.POSITIVE_INFINITY}, back.toDoubleArray());
    }

    @Test
    void rejectsBadShapesAndHeaders() {
        NumpyArray cube = NumpyArray.of(new float[8], new Shape(2, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> Csv.write(dir.resolve("a.csv"), cube));
        NumpyArray m = NumpyArray.of(new float[4], new Shape(2, 2));
        assertThrows(IllegalArgumentException.class, () -> Csv.write(dir.resolve("b.csv"), m, "x"));
        assertThrows(IllegalArgumentException.class, () -> Csv.write(dir.resolve("c.csv"), m, "x,1", "y"));
    }

    @Property(tries = 50, seed = "20261201")
    void float32ValuesRoundTripExactly(@ForAll float a, @ForAll float b) throws IOException {
        NumpyArray row = NumpyArray.of(new float[] {a, b}, new Shape(1, 2));
        Path file = Files.createTempFile("csv-property", ".csv");
        try {
            Csv.write(file, row);
            assertEquals(row, Csv.read(file).asType(NumpyType.FLOAT32));
        } finally {
            Files.delete(file);
        }
    }

    @Property(tries = 50, seed = "20261201")
    void float64ValuesRoundTripExactly(@ForAll double a) throws IOException {
        NumpyArray row = NumpyArray.of(new double[] {a}, new Shape(1, 1));
        Path file = Files.createTempFile("csv-property", ".csv");
        try {
            Csv.write(file, row);
            assertEquals(row, Csv.read(file));
        } finally {
            Files.delete(file);
        }
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    private static void assertProblem(Path file, String fragment) {
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> Csv.read(file));
        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }
}
