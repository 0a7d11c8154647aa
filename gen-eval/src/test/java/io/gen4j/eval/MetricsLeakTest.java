package io.gen4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The metrics leave nothing behind in the caller's manager, however often they run. */
class MetricsLeakTest {

    @Test
    void repeatedMetricsDoNotGrowManagedArrays() {
        Features a = Managers.gaussian(120, 6, 1);
        Features b = Managers.gaussian(90, 6, 2);
        try (NDManager manager = Managers.create()) {
            runAll(a, b, manager);
            int arrays = manager.getManagedArrays().size();
            for (int i = 0; i < 3; i++) {
                runAll(a, b, manager);
            }
            assertEquals(arrays, manager.getManagedArrays().size());
            assertEquals(0, arrays);
        }
    }

    @Test
    void singularCovariancesFromFewSamplesGiveAFiniteFid() {
        try (NDManager manager = Managers.create()) {
            // 5 samples in 10 dimensions: rank-4 covariances, eigenvalues clipped at 0
            double fid = Fid.compute(Managers.gaussian(5, 10, 1), Managers.gaussian(5, 10, 2), manager);
            assertTrue(Double.isFinite(fid) && fid > 0, "FID " + fid);
        }
    }

    private static void runAll(Features a, Features b, NDManager manager) {
        Fid.compute(a, b, manager);
        Kid.compute(a, b, new KidConfig(3, 50, 1), manager);
        PrecisionRecall.compute(b, a, manager);
        DensityCoverage.compute(b, a, manager);
        // the evaluation loop: every metric twice (value and floor), with shared neighbour tables
        Evaluation.run(EvaluationInputs.of(a, b, null, null, new ExtractorInfo("leak", "-", "none", a.dim(), 1), "s"),
                EvaluationConfig.of(List.of(new Fid(), new Kid(new KidConfig(3, 50, 1)), new PrecisionRecall(3),
                        new DensityCoverage(5)), 1), manager);
    }
}
