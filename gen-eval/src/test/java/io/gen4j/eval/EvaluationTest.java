package io.gen4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gen4j.core.data.Permutations;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationTest {

    @TempDir
    Path dir;

    @Test
    void allMetricsWithFloorsAndProvenance() throws Exception {
        Features real = Managers.gaussian(400, 8, 1);
        Features gen = Managers.gaussian(150, 8, 2).scale(1.6);
        Features realProbs = softmaxRows(Managers.gaussian(400, 5, 3).scale(2));
        Features genProbs = softmaxRows(Managers.gaussian(150, 5, 4));
        ExtractorInfo info = new ExtractorInfo("test-net", "abc", "none", 8, 5);
        EvaluationConfig config = new EvaluationConfig(List.of(new Fid(), new Kid(new KidConfig(10, 100, 3)),
                new InceptionScore(new InceptionScoreConfig(5, 3)), new PrecisionRecall(3), new DensityCoverage(5)),
                3, true);
        try (NDManager manager = Managers.create()) {
            List<MetricResult> results = Evaluation.run(
                    EvaluationInputs.of(real, gen, realProbs, genProbs, info, "synthetic/test"), config, manager);
            assertEquals(List.of("FID-test-net", "KID-test-net", "IS-test-net", "precision-test-net",
                    "recall-test-net", "density-test-net", "coverage-test-net"),
                    results.stream().map(MetricResult::name).toList());
            for (MetricResult r : results) {
                assertEquals(400, r.nReal());
                assertEquals(150, r.nGen());
                assertEquals(150, r.floorN());
                assertEquals(250, r.floorReferenceN());
                assertEquals("abc", r.extractorHash());
                assertEquals("synthetic/test", r.referenceSplit());
                assertTrue(Double.isFinite(r.floor()), r.summary());
            }
            // the generated set is wider than the real one: FID and KID above their floors, precision below
            assertTrue(results.get(0).value() > results.get(0).floor());
            assertTrue(results.get(1).value() > results.get(1).floor());
            assertTrue(results.get(3).value() < results.get(3).floor());
            Path json = dir.resolve("metrics.json");
            EvaluationReport.writeJson(results, json);
            JsonNode node = new ObjectMapper().readTree(json.toFile());
            assertEquals("FID-test-net", node.get(0).get("name").asText());
            assertTrue(EvaluationReport.markdown(results).contains("| FID-test-net |"));
        }
    }

    @Test
    void floorFromOtherRealDataIsAtExactlyTheSameN() {
        Features real = Managers.gaussian(300, 4, 1);
        Features other = Managers.gaussian(500, 4, 5);
        Features gen = Managers.gaussian(120, 4, 2).scale(1.5);
        ExtractorInfo info = new ExtractorInfo("test-net", "abc", "none", 4, 5);
        EvaluationConfig config = EvaluationConfig.of(MetricRegistry.defaults().create(List.of("fid", "pr"), 4), 4);
        try (NDManager manager = Managers.create()) {
            List<MetricResult> results = Evaluation.run(
                    new EvaluationInputs(real, gen, null, null, info, "synthetic/test", other, null), config, manager);
            assertEquals(3, results.size());
            for (MetricResult r : results) {
                assertEquals(120, r.floorN());
                assertEquals(300, r.floorReferenceN());
            }
            Features drawn = other.rows(sortedSample(500, 120, 4));
            assertEquals(Fid.compute(real, drawn, manager), results.get(0).floor(), 1e-12);
        }
    }

    private static int[] sortedSample(int n, int m, long seed) {
        return Permutations.sortedSample(n, m, new java.util.Random(seed));
    }

    static Features softmaxRows(Features logits) {
        double[] p = new double[logits.data().length];
        int c = logits.dim();
        for (int i = 0; i < logits.count(); i++) {
            double s = 0;
            for (int j = 0; j < c; j++) {
                s += Math.exp(logits.get(i, j));
            }
            for (int j = 0; j < c; j++) {
                p[i * c + j] = Math.exp(logits.get(i, j)) / s;
            }
        }
        return new Features(logits.count(), c, p);
    }
}
