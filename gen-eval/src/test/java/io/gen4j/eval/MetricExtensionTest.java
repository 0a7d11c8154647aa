package io.gen4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.Permutations;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A metric defined outside gen-eval's main code runs through {@link Evaluation} like the built-in ones. */
class MetricExtensionTest {

    private static final ExtractorInfo INFO = new ExtractorInfo("test-net", "abc", "none", 4, 3);

    @Test
    void aUserMetricGetsItsValueFloorAndProvenanceFromTheSameLoop() {
        Features real = Managers.gaussian(300, 4, 1);
        Features gen = Managers.gaussian(120, 4, 2).scale(1.3);
        EvaluationConfig config = EvaluationConfig.of(List.of(new MeanDistance(), new Fid()), 9);
        try (NDManager manager = Managers.create()) {
            List<MetricResult> results = Evaluation.run(
                    EvaluationInputs.of(real, gen, null, null, INFO, "synthetic/test"), config, manager);
            assertEquals(List.of("mean-distance-test-net", "FID-test-net"), results.stream().map(MetricResult::name).toList());
            MetricResult r = results.get(0);
            assertEquals(MeanDistance.distance(real, gen), r.value(), 0.0);
            assertTrue(Double.isNaN(r.std()));
            // the floor: held-out real B = the last n_f = min(120, 150) entries of the seeded permutation, against the rest A
            int[] perm = Permutations.permutation(300, new Random(9));
            int[] a = Arrays.copyOfRange(perm, 0, 180);
            int[] b = Arrays.copyOfRange(perm, 180, 300);
            Arrays.sort(a);
            Arrays.sort(b);
            assertEquals(MeanDistance.distance(real.rows(a), real.rows(b)), r.floor(), 0.0);
            assertEquals(120, r.floorN());
            assertEquals(180, r.floorReferenceN());
            assertEquals(300, r.nReal());
            assertEquals(120, r.nGen());
            assertEquals("abc", r.extractorHash());
            assertEquals(9, r.seed());
            // the built-in FID's floor comes from the very same split
            assertEquals(Fid.compute(real.rows(a), real.rows(b), manager), results.get(1).floor(), 0.0);
        }
    }

    @Test
    void aLambdaIsAMetricAndTheFloorIsNaNWhenTheFloorSetsAreNotAccepted() {
        Features real = Managers.gaussian(40, 3, 3);
        Features gen = Managers.gaussian(30, 3, 4);
        Metric first = (input, manager) -> List.of(MetricValue.of("first", input.samples().get(0, 0)));
        // k = 25: the value's reference (40 rows) is accepted, the floor's (40 − 20 = 20 rows) is not
        EvaluationConfig config = EvaluationConfig.of(List.of(first, new DensityCoverage(25)), 1);
        try (NDManager manager = Managers.create()) {
            List<MetricResult> results = Evaluation.run(
                    EvaluationInputs.of(real, gen, null, null, INFO, "synthetic/test"), config, manager);
            assertEquals(3, results.size());
            assertEquals(gen.get(0, 0), results.get(0).value(), 0.0);
            assertTrue(Double.isFinite(results.get(0).floor()));
            assertEquals(20, results.get(0).floorN());
            for (MetricResult dc : results.subList(1, 3)) {
                assertTrue(Double.isFinite(dc.value()), dc.summary());
                assertTrue(Double.isNaN(dc.floor()), dc.summary());
                assertEquals(0, dc.floorN());
                assertEquals(0, dc.floorReferenceN());
            }
        }
    }

    @Test
    void aMetricMustNameItsFloorLikeItsValue() {
        Metric inconsistent = (input, manager) -> List.of(
                MetricValue.of(input.reference().count() == 80 ? "value" : "other", 1.0));
        EvaluationConfig config = EvaluationConfig.of(List.of(inconsistent), 1);
        try (NDManager manager = Managers.create()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Evaluation.run(
                    EvaluationInputs.of(Managers.gaussian(80, 2, 1), Managers.gaussian(30, 2, 2), null, null, INFO, "s"),
                    config, manager));
            assertTrue(e.getMessage().contains("other") && e.getMessage().contains("value"), e.getMessage());
        }
    }

    @Test
    void registryCreatesByNameAndTakesUserMetrics() {
        MetricRegistry registry = MetricRegistry.defaults();
        assertEquals(MetricRegistry.DEFAULT_NAMES, List.copyOf(registry.names()));
        assertEquals(List.of(new Fid(), new Kid(KidConfig.defaults().withSeed(5)),
                new InceptionScore(new InceptionScoreConfig(10, 5)), new PrecisionRecall(3), new DensityCoverage(5)),
                registry.create(List.of("fid", "KID", " is", "pr", "dc"), 5));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> registry.create("mean-distance", 0));
        assertTrue(unknown.getMessage().contains("fid, kid, is, pr, dc"), unknown.getMessage());
        registry.register("mean-distance", seed -> new MeanDistance());
        assertInstanceOf(MeanDistance.class, registry.create("mean-distance", 0));
        assertThrows(IllegalArgumentException.class, () -> registry.register("fid", seed -> new Fid()));
        assertThrows(IllegalArgumentException.class, () -> registry.register("Bad Name", seed -> new Fid()));
        // a provider on the class path (META-INF/services of the test resources) is installed by name
        MetricRegistry installed = MetricRegistry.installed();
        assertTrue(installed.names().contains("mean-distance"), installed.names().toString());
        assertInstanceOf(MeanDistance.class, installed.create("mean-distance", 3));
    }

    @Test
    void configDefaultsAreTheFivePaperMetrics() {
        EvaluationConfig config = EvaluationConfig.defaults();
        assertEquals(MetricRegistry.defaults().create(MetricRegistry.DEFAULT_NAMES, 0), config.metrics());
        assertTrue(config.withFloor());
        assertThrows(IllegalArgumentException.class, () -> EvaluationConfig.of(List.of(), 0));
        assertTrue(new InceptionScore(InceptionScoreConfig.defaults()).needsProbabilities());
        assertTrue(!new Fid().needsProbabilities() && !new MeanDistance().needsProbabilities());
    }
}
