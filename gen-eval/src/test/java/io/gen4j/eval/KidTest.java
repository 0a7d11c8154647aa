package io.gen4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
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
        try (NDManager manager = Managers.create()) {
            Features a = Managers.gaussian(30, 4, 1);
            Features b = Managers.gaussian(12, 4, 2);
            // one subset of min(1000, 30, 12) = 12 rows of each: all of b, so equal to a fixed draw of a
            MeanStd kid = Kid.compute(a, b, new KidConfig(3, 1000, 1), manager);
            assertTrue(Double.isFinite(kid.mean()));
            assertEquals(3, kid.subsets());
        }
    }
}
