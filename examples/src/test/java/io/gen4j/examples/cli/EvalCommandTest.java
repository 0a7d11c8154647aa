package io.gen4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gen4j.core.data.IdxReader;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.io.ArrayFiles;
import io.gen4j.core.io.NumpyArray;
import io.gen4j.core.io.NumpyType;
import io.gen4j.eval.CnnClassifierConfig;
import io.gen4j.eval.CnnClassifierTraining;
import io.gen4j.eval.CnnFeatureExtractor;
import io.gen4j.eval.Features;
import io.gen4j.eval.ImageSet;
import io.gen4j.eval.Metric;
import io.gen4j.eval.MetricProvider;
import io.gen4j.eval.MetricValue;
import io.gen4j.examples.testing.SubsetData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gen4j eval} end to end on 60 images of the committed FashionMNIST subset with a classifier
 * trained for two steps: {@code --fake-range} maps to gen-core's pixel ranges, {@code --metrics}
 * resolves names through the metric registry (a provider of this test included) and unknown names
 * are refused with the known ones listed.
 */
class EvalCommandTest {

    private static final int N = 60;

    @TempDir
    static Path dir;

    private static Path classifier;
    private static Path real;
    private static byte[] pixels;

    @BeforeAll
    static void data() throws Exception {
        Path subset = SubsetData.directory(dir);
        IdxReader.IdxImages images = IdxReader.readImages(subset.resolve("t10k-images-idx3-ubyte.gz"));
        int[] labels = IdxReader.readLabels(subset.resolve("t10k-labels-idx1-ubyte.gz"));
        pixels = Arrays.copyOf(images.pixels(), N * 28 * 28);
        real = dir.resolve("real.npy");
        ArrayFiles.write(real, new NumpyArray(NumpyType.UINT8, new Shape(N, 1, 28, 28), pixels));
        ImageSet train = new ImageSet(N, 1, 28, 28, pixels);
        classifier = dir.resolve("fmnist-cnn.bin");
        try (NDManager manager = NDManager.newBaseManager();
                CnnFeatureExtractor cnn = new CnnClassifierTraining(1, 30, 2e-3, 0)
                        .train(CnnClassifierConfig.fashionMnist(), train, Arrays.copyOf(labels, N), manager)) {
            cnn.save(classifier);
        }
    }

    /** The same images as floats in a range, as a sampler might save them. */
    private static Path fakeIn(PixelRange range, String name) throws Exception {
        float[] x = new float[pixels.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = range.toFloat(pixels[i] & 0xFF);
        }
        Path file = dir.resolve(name);
        ArrayFiles.write(file, NumpyArray.of(x, new Shape(N, 1, 28, 28)));
        return file;
    }

    private static String[] run(String... args) {
        return io.gen4j.examples.testing.Cli.run(args);
    }

    private static JsonNode evaluate(Path fake, String range, String metrics, String outName) throws Exception {
        Path out = dir.resolve(outName);
        List<String> args = new ArrayList<>(List.of("eval", "--real", real.toString(), "--fake", fake.toString(),
                "--classifier", classifier.toString(), "--metrics", metrics, "--seed", "3", "--out", out.toString()));
        if (range != null) {
            args.addAll(List.of("--fake-range", range));
        }
        String[] r = run(args.toArray(String[]::new));
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("FID-fmnist-cnn = "), r[1]);
        return new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    }

    private static double fid(JsonNode results) {
        assertEquals("FID-fmnist-cnn", results.get(0).get("name").asText());
        return results.get(0).get("value").asDouble();
    }

    @Test
    void everyFakeRangeMapsToItsCorePixelRange() throws Exception {
        // the fakes are the real images: FID is zero only if the floats map back to the same bytes
        assertEquals(0.0, fid(evaluate(fakeIn(PixelRange.ZERO_ONE, "unit.npy"), null, "fid", "out-default")), 1e-6);
        assertEquals(0.0, fid(evaluate(fakeIn(PixelRange.ZERO_ONE, "unit.npy"), "unit", "fid", "out-unit")), 1e-6);
        assertEquals(0.0, fid(evaluate(fakeIn(PixelRange.MINUS_ONE_ONE, "sym.npy"), "symmetric", "fid", "out-sym")), 1e-6);
        assertEquals(0.0, fid(evaluate(fakeIn(PixelRange.BYTE, "byte.npy"), "byte", "fid", "out-byte")), 1e-6);
        assertEquals(0.0, fid(evaluate(fakeIn(PixelRange.MINUS_ONE_ONE, "sym.npy"), "MINUS_ONE_ONE", "fid", "out-core")), 1e-6);
        // the same [-1, 1] floats read as [0, 1] lose everything below 0: no longer the real images
        assertTrue(fid(evaluate(fakeIn(PixelRange.MINUS_ONE_ONE, "sym.npy"), "unit", "fid", "out-wrong")) > 1e-3);
    }

    @Test
    void theDefaultMetricsAndAUserMetricByNameWithFloors() throws Exception {
        JsonNode all = evaluate(fakeIn(PixelRange.BYTE, "byte.npy"), "byte", "fid,kid,is,pr,dc,mean-norm", "out-all");
        List<String> names = new ArrayList<>();
        all.forEach(r -> names.add(r.get("name").asText()));
        assertEquals(List.of("FID-fmnist-cnn", "KID-fmnist-cnn", "IS-fmnist-cnn", "precision-fmnist-cnn",
                "recall-fmnist-cnn", "density-fmnist-cnn", "coverage-fmnist-cnn", "mean-norm-fmnist-cnn"), names);
        for (JsonNode r : all) {
            // N_real = N_gen = 60: the floor holds out min(60, 30) real images against the other 30
            assertEquals(30, r.get("floorN").asInt(), r.toString());
            assertEquals(30, r.get("floorReferenceN").asInt(), r.toString());
            assertEquals(3, r.get("seed").asInt());
        }
        JsonNode meanNorm = all.get(7);
        assertTrue(meanNorm.get("value").asDouble() > 0 && Double.isFinite(meanNorm.get("floor").asDouble()));
    }

    @Test
    void unknownMetricsAreRefusedWithTheKnownNames() {
        String[] r = run("eval", "--real", real.toString(), "--fake", real.toString(), "--classifier",
                classifier.toString(), "--metrics", "fid,nope");
        assertEquals("2", r[0], r[1] + r[2]);
        assertTrue(r[2].contains("unknown metric 'nope'"), r[2]);
        assertTrue(r[2].contains("fid, kid, is, pr, dc"), r[2]);
        assertTrue(r[2].contains("mean-norm"), r[2]);
        String[] range = run("eval", "--real", real.toString(), "--fake", real.toString(), "--fake-range", "bytes");
        assertEquals("2", range[0]);
        assertTrue(range[2].contains("unit, symmetric or byte"), range[2]);
    }

    /**
     * A metric outside gen-eval, offered to the CLI through {@code META-INF/services}: the mean
     * feature norm of the samples.
     */
    public static final class MeanNorm implements MetricProvider {

        /** For the service loader. */
        public MeanNorm() {}

        @Override
        public String name() {
            return "mean-norm";
        }

        @Override
        public Metric create(long seed) {
            return (input, manager) -> {
                Features x = input.samples();
                double s = 0;
                for (int i = 0; i < x.count(); i++) {
                    double n = 0;
                    for (int j = 0; j < x.dim(); j++) {
                        n += x.get(i, j) * x.get(i, j);
                    }
                    s += Math.sqrt(n);
                }
                return List.of(MetricValue.of("mean-norm", s / x.count()));
            };
        }
    }
}
