package io.gen4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gen4j.core.data.Permutations;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KidTest {

    @Test
    void twoPointsClosedForm() {
        Features x = Features.of(new double[][] {{0}, {1}});
        Features y = Features.of(new double[][] {{1}, {2}});
        try (NDManager manager = Managers.create()) {
            // Kxx off-diagonal mean 1, Kyy 27, Kxy mean (1+1+8+27)/4 -> 1 + 27 - 37/2 = 19/2
            assertEquals(9.5, Kid.mmd2(x, y, manager), 1e-12);
            MeanStd kid = Kid.compute(x, y, new KidConfig(1, 1000, 7), manager);
            assertEquals(9.5, kid.mean(), 1e-12);
            assertEquals(0.0, kid.std(), 0.0);
            assertEquals(1, kid.subsets());
        }
    }

    @Test
    void seededAndNearZeroForTheSameDistribution() {
        try (NDManager manager = Managers.create()) {
            Features a = Managers.gaussian(400, 8, 1);
            Features b = Managers.gaussian(400, 8, 2);
            KidConfig config = new KidConfig(20, 100, 5);
            MeanStd k1 = Kid.compute(a, b, config, manager);
            MeanStd k2 = Kid.compute(a, b, config, manager);
            assertEquals(k1, k2);
            assertTrue(Math.abs(k1.mean()) < 3 * k1.std() + 0.05, "KID of matching sets: " + k1);
            MeanStd far = Kid.compute(a, b.scale(2), config, manager);
            assertTrue(far.mean() > 10 * Math.abs(k1.mean()), far + " vs " + k1);
        }
    }

    @Test
    void subsetSizeIsCappedByTheSmallerSet() {
        assertEquals(12, Kid.subsetSize(new KidConfig(3, 1000, 1), 30, 12));
        assertEquals(12, Kid.subsetSize(new KidConfig(3, 1000, 1), 12, 30));
        assertEquals(5, Kid.subsetSize(new KidConfig(3, 5, 1), 30, 12));
        try (NDManager manager = Managers.create()) {
            Features a = Managers.gaussian(30, 4, 1);
            Features b = Managers.gaussian(12, 4, 2);
            // every subset is 12 real rows and all 12 generated rows
            MeanStd kid = Kid.compute(a, b, new KidConfig(3, 1000, 1), manager);
            assertEquals(3, kid.subsets());
            int[] first = Permutations.sample(30, 12, new Random(1));
            assertEquals(Kid.mmd2(a.rows(first), b, manager),
                    Kid.compute(a, b, new KidConfig(1, 1000, 1), manager).mean(), 1e-12);
            // with 12 rows on both sides every subset is the whole of both sets: no spread at all
            Features a12 = a.rows(0, 12);
            MeanStd whole = Kid.compute(a12, b, new KidConfig(4, 1000, 1), manager);
            assertEquals(Kid.mmd2(a12, b, manager), whole.mean(), 1e-12);
            assertEquals(0.0, whole.std(), 1e-12);
            // a cap of 2 is the smallest allowed; below the cap of 2 rows the estimate is refused
            assertTrue(Double.isFinite(Kid.compute(a, b, new KidConfig(3, 2, 1), manager).mean()));
            assertThrows(IllegalArgumentException.class,
                    () -> Kid.compute(a, b.rows(0, 1), KidConfig.defaults(), manager));
        }
    }

    /**
     * Seeded subsets against {@code src/test/python/make_kid_reference.py}, which draws the same
     * indices with an independent re-implementation of {@code java.util.Random} and of the sampler,
     * in three cases: the cap binds, N_gen binds, N_real binds.
     */
    @Test
    void matchesTheIndependentReferenceWhereTheCapBinds() throws IOException {
        JsonNode features;
        JsonNode cases;
        try (InputStream in = KidTest.class.getResourceAsStream("metric-reference.json");
                InputStream k = KidTest.class.getResourceAsStream("kid-reference.json")) {
            features = new ObjectMapper().readTree(in);
            cases = new ObjectMapper().readTree(k);
        }
        Features real = MetricReferenceTest.matrix(features.get("real"));
        Features gen = MetricReferenceTest.matrix(features.get("gen"));
        assertEquals(3, cases.size());
        try (NDManager manager = Managers.create()) {
            for (var it = cases.fields(); it.hasNext(); ) {
                var e = it.next();
                JsonNode c = e.getValue();
                Features r = c.get("swap").asBoolean() ? gen : real;
                Features g = c.get("swap").asBoolean() ? real : gen;
                KidConfig config = new KidConfig(c.get("num_subsets").asInt(), c.get("max_subset_size").asInt(),
                        c.get("seed").asLong());
                assertEquals(c.get("subset_size").asInt(), Kid.subsetSize(config, r.count(), g.count()), e.getKey());
                MeanStd kid = Kid.compute(r, g, config, manager);
                assertEquals(c.get("subsets").asInt(), kid.subsets(), e.getKey());
                assertRelative(c.get("mean").asDouble(), kid.mean(), e.getKey() + " mean");
                assertRelative(c.get("std").asDouble(), kid.std(), e.getKey() + " std");
                MeanStd one = Kid.compute(r, g, new KidConfig(1, config.maxSubsetSize(), config.seed()), manager);
                assertRelative(c.get("first").asDouble(), one.mean(), e.getKey() + " first subset");
                // through the Metric contract: reference = real, samples = generated
                MetricValue v = new Kid(config).evaluate(MetricInput.of(r, g), manager).get(0);
                assertEquals(new MetricValue("KID", kid.mean(), kid.std()), v);
            }
        }
    }

    private static void assertRelative(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-9 * Math.abs(expected), what);
    }
}
