package io.gen4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Agreement with the numpy/scipy reference of {@code src/test/python/make_metric_reference.py}
 * (scipy.linalg.sqrtm for FID, scipy cdist for the k-NN metrics) on seeded random features.
 */
class MetricReferenceTest {

    private static final double REL = 1e-9;
    private static JsonNode ref;
    private static Features real;
    private static Features gen;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = MetricReferenceTest.class.getResourceAsStream("metric-reference.json")) {
            ref = new ObjectMapper().readTree(in);
        }
        real = matrix(ref.get("real"));
        gen = matrix(ref.get("gen"));
    }

    static Features matrix(JsonNode rows) {
        double[][] m = new double[rows.size()][];
        for (int i = 0; i < m.length; i++) {
            JsonNode row = rows.get(i);
            m[i] = new double[row.size()];
            for (int j = 0; j < m[i].length; j++) {
                m[i][j] = row.get(j).asDouble();
            }
        }
        return Features.of(m);
    }

    private static void assertRelative(String key, double actual) {
        double expected = ref.get(key).asDouble();
        assertEquals(expected, actual, REL * Math.abs(expected), key);
    }

    @Test
    void fid() {
        try (NDManager manager = Managers.create()) {
            assertRelative("fid", Fid.compute(real, gen, manager));
            assertRelative("fid_real_real", Fid.compute(real.rows(0, 100), real.rows(100, 200), manager));
        }
    }

    @Test
    void fidAgainstNumpyStatisticsFileAndNpzRoundTrip(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        try (NDManager manager = Managers.create()) {
            java.nio.file.Path npz = java.nio.file.Path.of(MetricReferenceTest.class.getResource("real-stats.npz").toURI());
            GaussianStatistics realStats = GaussianStatistics.readNpz(npz, manager);
            GaussianStatistics genStats = GaussianStatistics.estimate(gen, manager);
            assertRelative("fid", Fid.fromStatistics(realStats, genStats));
            java.nio.file.Path copy = dir.resolve("gen-stats.npz");
            genStats.writeNpz(copy, manager);
            GaussianStatistics back = GaussianStatistics.readNpz(copy, manager);
            org.junit.jupiter.api.Assertions.assertArrayEquals(genStats.mean(), back.mean(), 0.0);
            org.junit.jupiter.api.Assertions.assertArrayEquals(genStats.covariance(), back.covariance(), 0.0);
        }
    }

    @Test
    void kidOnTheFullSets() {
        try (NDManager manager = Managers.create()) {
            assertRelative("kid_full", Kid.mmd2(real, gen, manager));
        }
    }

    @Test
    void inceptionScoreOneSplit() {
        MeanStd is = InceptionScore.fromLogits(matrix(ref.get("logits")), new InceptionScoreConfig(1, 0));
        assertRelative("is_one_split", is.mean());
    }

    @Test
    void manifoldMetrics() {
        try (NDManager manager = Managers.create()) {
            PrecisionRecall.Result pr = PrecisionRecall.compute(gen, real, manager);
            assertRelative("precision_k3", pr.precision());
            assertRelative("recall_k3", pr.recall());
            DensityCoverage.Result dc = DensityCoverage.compute(gen, real, manager);
            assertRelative("density_k5", dc.density());
            assertRelative("coverage_k5", dc.coverage());
        }
    }

    @Test
    void theSameNumbersThroughTheMetricContractAndEvaluation() {
        EvaluationConfig config = new EvaluationConfig(
                MetricRegistry.defaults().create(java.util.List.of("fid", "pr", "dc"), 0), 0, false);
        ExtractorInfo info = new ExtractorInfo("ref", "-", "none", real.dim(), 1);
        try (NDManager manager = Managers.create()) {
            java.util.List<MetricResult> results = Evaluation.run(
                    EvaluationInputs.of(real, gen, null, null, info, "reference"), config, manager);
            String[] keys = {"fid", "precision_k3", "recall_k3", "density_k5", "coverage_k5"};
            assertEquals(keys.length, results.size());
            for (int i = 0; i < keys.length; i++) {
                assertRelative(keys[i], results.get(i).value());
                assertEquals(Double.NaN, results.get(i).floor());
            }
        }
    }

    @Test
    void clipScoreBothConventions() {
        Features img = matrix(ref.get("clip_image"));
        Features txt = matrix(ref.get("clip_text"));
        assertRelative("clip_hessel", ClipScore.compute(img, txt, ClipScoreConvention.HESSEL));
        assertRelative("clip_scaled_100", ClipScore.compute(img, txt, ClipScoreConvention.SCALED_100));
    }
}
