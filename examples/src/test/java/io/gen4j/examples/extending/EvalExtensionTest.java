package io.gen4j.examples.extending;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gen4j.core.data.IdxReader;
import io.gen4j.core.io.ArrayFiles;
import io.gen4j.core.io.NumpyArray;
import io.gen4j.core.io.NumpyType;
import io.gen4j.eval.CnnClassifierConfig;
import io.gen4j.eval.CnnClassifierTraining;
import io.gen4j.eval.CnnFeatureExtractor;
import io.gen4j.eval.Evaluation;
import io.gen4j.eval.EvaluationConfig;
import io.gen4j.eval.EvaluationInputs;
import io.gen4j.eval.ExtractorInfo;
import io.gen4j.eval.FeatureExtraction;
import io.gen4j.eval.Features;
import io.gen4j.eval.ImageSet;
import io.gen4j.eval.Metric;
import io.gen4j.eval.MetricInput;
import io.gen4j.eval.MetricProvider;
import io.gen4j.eval.MetricRegistry;
import io.gen4j.eval.MetricResult;
import io.gen4j.eval.MetricValue;
import io.gen4j.examples.cli.Gen4jCli;
import io.gen4j.examples.testing.SubsetData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Extending evaluation (docs/extending.md): a {@link Metric} of your own, run by {@link Evaluation}
 * (value, real-vs-real floor and provenance like the built-in metrics) and, registered through a
 * {@link MetricProvider} in {@code META-INF/services/io.gen4j.eval.MetricProvider} of the test
 * resources, by name in {@link MetricRegistry} and the CLI's {@code eval --metrics}. Public API only.
 */
class EvalExtensionTest {

    @TempDir
    Path dir;

    /**
     * The energy distance (Székely &amp; Rizzo 2013, "Energy statistics: A class of statistics based
     * on distances") between the reference features X and the sample features Y, as the unbiased
     * U-statistic
     *
     * <pre>
     *   E = 2·mean_{i,j} |x_i − y_j| − mean_{i≠i'} |x_i − x_i'| − mean_{j≠j'} |y_j − y_j'|
     * </pre>
     *
     * zero in expectation exactly when the two laws are equal. O(N²·d) in plain Java.
     */
    public record EnergyDistance() implements Metric {

        @Override
        public List<MetricValue> evaluate(MetricInput input, NDManager manager) {
            return List.of(MetricValue.of("energy-distance", compute(input.reference(), input.samples())));
        }

        /**
         * @param x a set, at least 2 rows
         * @param y another set of the same dimension, at least 2 rows
         * @return their energy distance
         */
        public static double compute(Features x, Features y) {
            return 2 * meanDistance(x, y, false) - meanDistance(x, x, true) - meanDistance(y, y, true);
        }

        private static double meanDistance(Features a, Features b, boolean withinOneSet) {
            double sum = 0;
            for (int i = 0; i < a.count(); i++) {
                for (int j = 0; j < b.count(); j++) {
                    if (withinOneSet && i == j) {
                        continue;
                    }
                    double s = 0;
                    for (int k = 0; k < a.dim(); k++) {
                        double d = a.get(i, k) - b.get(j, k);
                        s += d * d;
                    }
                    sum += Math.sqrt(s);
                }
            }
            long pairs = (long) a.count() * b.count() - (withinOneSet ? a.count() : 0);
            return sum / pairs;
        }

        /** Offers the metric by name; listed in META-INF/services/io.gen4j.eval.MetricProvider. */
        public static final class Provider implements MetricProvider {

            /** For the service loader. */
            public Provider() {}

            @Override
            public String name() {
                return "energy-distance";
            }

            @Override
            public Metric create(long seed) {
                return new EnergyDistance();
            }
        }
    }

    static Features gaussian(int n, int dims, double shift, long seed) {
        Random rng = new Random(seed);
        double[][] rows = new double[n][dims];
        for (double[] row : rows) {
            for (int k = 0; k < dims; k++) {
                row[k] = shift + rng.nextGaussian();
            }
        }
        return Features.of(rows);
    }

    @Test
    void theMetricHasItsClosedFormValue() {
        // X = {0, 1}, Y = {3, 5}: 2 · (3 + 5 + 2 + 4)/4 − 1 − 2 = 4
        Features x = Features.of(new double[][] {{0}, {1}});
        Features y = Features.of(new double[][] {{3}, {5}});
        assertEquals(4.0, EnergyDistance.compute(x, y), 1e-15);
        // distances only: a common shift of both sets changes nothing
        Features a = gaussian(50, 3, 0, 1);
        Features b = gaussian(40, 3, 0.5, 2);
        assertEquals(EnergyDistance.compute(a, b), EnergyDistance.compute(shift(a, 7), shift(b, 7)), 1e-12);
    }

    private static Features shift(Features f, double c) {
        double[][] rows = new double[f.count()][];
        for (int i = 0; i < f.count(); i++) {
            rows[i] = Arrays.stream(f.row(i)).map(v -> v + c).toArray();
        }
        return Features.of(rows);
    }

    /** Evaluation computes the value, the floor against other real data, and the provenance. */
    @Test
    void evaluationRunsTheMetricWithItsFloor() {
        Features real = gaussian(300, 4, 0, 3);
        Features generated = gaussian(120, 4, 0.5, 4);
        Features otherReal = gaussian(120, 4, 0, 5); // N_gen rows: the floor uses all of them
        ExtractorInfo extractor = new ExtractorInfo("test-net", "abc", "none", 4, 3);
        EvaluationInputs inputs = new EvaluationInputs(real, generated, null, null, extractor, "synthetic/test",
                otherReal, null);
        try (NDManager manager = NDManager.newBaseManager()) {
            List<MetricResult> results = Evaluation.run(inputs, EvaluationConfig.of(List.of(new EnergyDistance()), 9),
                    manager);
            assertEquals(1, results.size());
            MetricResult r = results.get(0);
            assertEquals("energy-distance-test-net", r.name());
            assertEquals(EnergyDistance.compute(real, generated), r.value(), 0.0);
            assertEquals(EnergyDistance.compute(real, otherReal), r.floor(), 0.0);
            assertEquals(120, r.floorN());
            assertEquals(300, r.floorReferenceN());
            assertTrue(r.floor() < r.value(), "real data are closer to the reference than shifted samples: " + r.summary());
        }
    }

    /** By name: the registry and the CLI's {@code eval --metrics energy-distance} find the provider. */
    @Test
    void theCliComputesTheMetricByName() throws Exception {
        assertInstanceOf(EnergyDistance.class, MetricRegistry.installed().create("energy-distance", 0));

        Path subset = SubsetData.directory(dir);
        byte[] pixels = IdxReader.readImages(subset.resolve("t10k-images-idx3-ubyte.gz")).pixels();
        int[] labels = IdxReader.readLabels(subset.resolve("t10k-labels-idx1-ubyte.gz"));
        int n = 60;
        int size = 28 * 28;
        byte[] realPixels = Arrays.copyOfRange(pixels, 0, n * size);
        byte[] fakePixels = new byte[n * size]; // other images, colours inverted: a different law
        for (int i = 0; i < fakePixels.length; i++) {
            fakePixels[i] = (byte) (255 - (pixels[n * size + i] & 0xFF));
        }
        Path real = dir.resolve("real.npy");
        Path fake = dir.resolve("fake.npy");
        ArrayFiles.write(real, new NumpyArray(NumpyType.UINT8, new Shape(n, 1, 28, 28), realPixels));
        ArrayFiles.write(fake, new NumpyArray(NumpyType.UINT8, new Shape(n, 1, 28, 28), fakePixels));
        Path classifier = dir.resolve("cnn.bin");
        try (NDManager manager = NDManager.newBaseManager();
                CnnFeatureExtractor cnn = new CnnClassifierTraining(1, 30, 2e-3, 0).train(
                        CnnClassifierConfig.fashionMnist(), new ImageSet(n, 1, 28, 28, realPixels),
                        Arrays.copyOf(labels, n), manager)) {
            cnn.save(classifier);
        }

        Path out = dir.resolve("eval");
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        CommandLine cli = Gen4jCli.commandLine();
        cli.setOut(new PrintWriter(stdout));
        cli.setErr(new PrintWriter(stderr));
        int code = cli.execute("eval", "--real", real.toString(), "--fake", fake.toString(), "--classifier",
                classifier.toString(), "--metrics", "energy-distance", "--seed", "3", "--out", out.toString());
        assertEquals(0, code, stdout + "\n" + stderr);
        JsonNode results = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals("energy-distance-fmnist-cnn", results.get(0).get("name").asText());

        // the same number from the same features, computed here through the public extraction API
        double expected;
        try (NDManager manager = NDManager.newBaseManager();
                CnnFeatureExtractor cnn = CnnFeatureExtractor.load(classifier, manager)) {
            Features realFeatures = FeatureExtraction.features(cnn, new ImageSet(n, 1, 28, 28, realPixels), 50, manager);
            Features fakeFeatures = FeatureExtraction.features(cnn, new ImageSet(n, 1, 28, 28, fakePixels), 50, manager);
            expected = EnergyDistance.compute(realFeatures, fakeFeatures);
        }
        assertTrue(expected > 0, "inverted images are far from the real ones: " + expected);
        assertEquals(expected, results.get(0).get("value").asDouble(), 1e-9 * expected);
    }
}
