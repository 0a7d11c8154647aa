package io.gen4j.flows;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.toy.Box;
import io.gen4j.core.data.toy.Moons;
import io.gen4j.core.data.toy.OracleEntropy;
import io.gen4j.core.data.toy.Toy2d;
import io.gen4j.core.data.toy.Toy2dBatches;
import io.gen4j.core.runtime.Seeds;
import io.gen4j.core.train.Adam;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.TrainTestSupport;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Regression guard (group {@code quality}, {@code mvn verify -Pquality}): a small RealNVP trained on
 * 2-D moons for a fixed budget and seed must get as close to the data density as it did when the
 * guard was written. The measure is the test NLL minus the oracle entropy of the toy, an estimate of
 * KL(p_data ‖ p_model) in nats: 0 is perfect, the flow before training (ActNorm initialised) is 0.90 away.
 *
 * <p>The test points are the 20k points {@link OracleEntropy#of} estimates the entropy with (same
 * seed), so the gap is a paired estimate, mean of log p(x_i) − log q(x_i), whose Monte-Carlo noise
 * is far below that of the two averages taken apart.
 *
 * <p>A likelihood that is wrong can look better than a right one (a flipped log-det sign gave a gap
 * of −72 nats), so the guard also checks that the model is a density: the gap is not below 0 by
 * more than the estimate's noise (it estimates a KL divergence), and exp(log q) integrates to 1 over
 * the toy's box, on a 200 × 200 grid.
 */
@Tag("quality")
class RealNvpQualityTest {

    /** 6 couplings with 2 × 64 hidden units, ActNorm and fixed rotations. */
    static final RealNvp.VectorConfig MODEL = new RealNvp.VectorConfig(2, 6, 64, 2, true, true);

    /**
     * The gap measured with seed 0 and one intra-op thread on the build machine (2026-12-01):
     * 0.1374 nats (one of four repeated runs gave 0.1425; two threads 0.1373). The untrained flow
     * (ActNorm initialised) is at 0.8965.
     */
    static final double MEASURED_GAP = 0.1374;

    /**
     * Seeds 0, 1, 2 gave 0.1374, 0.1639, 0.1375 (a spread of 0.027, what a change that only
     * reorders random draws can move): the margin is about twice that.
     */
    static final double MARGIN = 0.05;

    /**
     * How far below 0 the gap may go: 5 standard errors of the paired estimate (0.0032 nats for the
     * guard's model; 0.0034, 0.0035 with seeds 1, 2).
     */
    static final double NEGATIVE_GAP_TOLERANCE = 0.016;

    /**
     * How far the integral of the model's density over the toy's box may be from 1: measured
     * 0.99972 with seed 0 (0.99978 in the run that gave 0.1425; seeds 1, 2: 0.99996, 0.99996; the
     * untrained flow 0.978); the box leaves out a little of the data's own mass.
     */
    static final double MASS_TOLERANCE = 0.01;

    @Test
    void moonsGapToTheOracleEntropyStaysSmall() {
        double[][] out = new double[1][];
        long t0 = System.nanoTime();
        TrainTestSupport.withOneThread(() -> out[0] = moonsGap(MODEL, 0, 1500, 256));
        double gap = out[0][0];
        double mass = out[0][1];
        String message = String.format(Locale.ROOT,
                "RealNVP moons gap (test NLL − oracle entropy) = %.4f nats; measured %.4f + margin %.4f, not "
                        + "below −%.3f; density integrates to %.4f over the box (1 ± %.2f) (%.1f s)",
                gap, MEASURED_GAP, MARGIN, NEGATIVE_GAP_TOLERANCE, mass, MASS_TOLERANCE,
                (System.nanoTime() - t0) / 1e9);
        System.out.println(message);
        assertTrue(gap <= MEASURED_GAP + MARGIN, message);
        assertTrue(gap >= -NEGATIVE_GAP_TOLERANCE, message);
        assertTrue(Math.abs(mass - 1) <= MASS_TOLERANCE, message);
    }

    /**
     * Trains a fresh flow and measures its gap.
     *
     * @param model the flow's hyperparameters
     * @param seed the run's seed (initialisation, ActNorm batch, training batches, Fit's step seeds)
     * @param steps Adam steps (cosine decay from 5e-3 to 1e-4; 0: the untrained flow)
     * @param batch points per step
     * @return {mean over the oracle's points of log p(x) − log q(x) in nats, the model's density
     *     integrated over the toy's box}
     */
    static double[] moonsGap(RealNvp.VectorConfig model, long seed, int steps, int batch) {
        Toy2d toy = Moons.defaults();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Seeds.seedEngine(seed);
            NormalizingFlow flow = RealNvp.vector(model);
            flow.initialize(manager, DataType.FLOAT32, new Shape(batch, 2));
            flow.initializeFromData(manager.create(toy.sampleFlat(2048, Seeds.derive(seed, 1)), new Shape(2048, 2)));
            ObjectiveStep step = ObjectiveStep.builder().optName("flow")
                    .setObjective(new MaximumLikelihoodObjective(flow))
                    .setOptimizer(Adam.factory(LearningRateSchedule.cosine(5e-3, 1e-4, 0, Math.max(1, steps)),
                            AdamConfig.defaults()))
                    .optClipNorm(10).build();
            if (steps > 0) {
                Fit.builder().setStep(step).setSource(new Toy2dBatches(toy, batch, Seeds.derive(seed, 2)))
                        .setManager(manager).optTotalSteps(steps).optSeed(seed).build().run();
            }
            Box box = toy.box();
            double mass = Density2d.densityGrid(flow, manager, box.xMin(), box.xMax(), box.yMin(), box.yMax(), 200)
                    .integral();
            return new double[] {pairedGap(flow, toy, manager), mass};
        }
    }

    /** Mean of log p(x_i) − log q(x_i) over the oracle's own sample (paired with its entropy estimate). */
    static double pairedGap(NormalizingFlow flow, Toy2d toy, NDManager manager) {
        int n = OracleEntropy.DEFAULT_SAMPLES;
        double[][] points = toy.sample(n, new Random(OracleEntropy.DEFAULT_SEED));
        float[] flat = new float[2 * n];
        for (int i = 0; i < n; i++) {
            flat[2 * i] = (float) points[i][0];
            flat[2 * i + 1] = (float) points[i][1];
        }
        double[] logQ;
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(flat, new Shape(n, 2));
            logQ = flow.logLikelihood(x).toType(DataType.FLOAT64, false).toDoubleArray();
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += toy.logDensity(points[i][0], points[i][1]) - logQ[i];
        }
        // the same number as "test NLL − OracleEntropy.of(toy)", without the subtraction's noise
        return sum / n;
    }
}
