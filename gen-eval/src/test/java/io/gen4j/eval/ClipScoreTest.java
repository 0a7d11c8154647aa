package io.gen4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ClipScoreTest {

    @Test
    void conventionsDifferOnNegativeCosines() {
        // cosines: 1, -1, 0.5 (raw, unnormalised vectors)
        Features img = Features.of(new double[][] {{2, 0}, {1, 0}, {1, 0}});
        Features txt = Features.of(new double[][] {{5, 0}, {-3, 0}, {1, Math.sqrt(3)}});
        // Hessel: 2.5 * mean(max(cos, 0)) = 2.5 * (1 + 0 + 0.5) / 3
        assertEquals(2.5 * 1.5 / 3, ClipScore.compute(img, txt, ClipScoreConvention.HESSEL), 1e-12);
        // 100 * mean(cos) = 100 * 0.5 / 3, then clamped at 0 (not per sample)
        assertEquals(100 * 0.5 / 3, ClipScore.compute(img, txt, ClipScoreConvention.SCALED_100), 1e-12);
        Features opposite = Features.of(new double[][] {{-1, 0}, {-1, 0}, {-1, 0}});
        Features same = Features.of(new double[][] {{1, 0}, {1, 0}, {1, 0}});
        assertEquals(0.0, ClipScore.compute(same, opposite, ClipScoreConvention.SCALED_100), 0.0);
        assertEquals(0.0, ClipScore.compute(same, opposite, ClipScoreConvention.HESSEL), 0.0);
    }
}
