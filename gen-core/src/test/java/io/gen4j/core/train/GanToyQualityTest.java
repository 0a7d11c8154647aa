package io.gen4j.core.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Regression guard (group {@code quality}, {@code mvn verify -Pquality}): the toy GAN of {@link
 * GanToyTest} (two MLPs, non-saturating losses, {@link MultiPlayerStep} with one Adam per player),
 * trained for a fixed budget and seed on N((2, −1), 0.3² I), must bring the generated mean as close
 * to the data mean as it did when the guard was written. A GAN's generated mean circles around the
 * data mean as the two players chase each other, so the guard averages the distance over the second
 * half of training (7 checkpoints, steps 300, 350, …, 600) instead of reading it at one step. The
 * generator starts about 2 away.
 */
@Tag("quality")
class GanToyQualityTest {

    /** Training steps; each updates the discriminator, then the generator. */
    static final int STEPS = 600;

    /**
     * Measured with seed 0 and one intra-op thread on the build machine (2026-12-01): 0.1962 (two
     * threads: the same), from 1.922 before training.
     */
    static final double MEASURED_DISTANCE = 0.1962;
    /**
     * Seeds 0 to 4 gave 0.196, 0.126, 0.056, 0.152, 0.083: seed 0 is the worst and the spread is
     * 0.14, so the margin is about that; the bound (0.35) is still 18 % of the starting distance.
     */
    static final double MARGIN = 0.15;

    @Test
    void generatedMeanReachesTheDataMean() {
        double[][] out = new double[1][];
        long t0 = System.nanoTime();
        TrainTestSupport.withOneThread(() -> out[0] = measure(0));
        String message = String.format(Locale.ROOT,
                "toy GAN: mean |generated mean − data mean| over steps 300..600 = %.4f (from %.3f); measured "
                        + "%.4f + margin %.4f (%.1f s)",
                out[0][1], out[0][0], MEASURED_DISTANCE, MARGIN, (System.nanoTime() - t0) / 1e9);
        System.out.println(message);
        assertTrue(out[0][1] <= MEASURED_DISTANCE + MARGIN, message);
    }

    /**
     * Trains the toy GAN and measures the distance of the generated mean (4096 samples) to the data
     * mean.
     *
     * @param seed seeds the networks (seed + 1, seed + 2), the measuring noise and Fit's step seeds
     * @return {distance before training, mean distance at steps 300, 350, …, 600}
     */
    static double[] measure(long seed) {
        try (NDManager m = NDManager.newBaseManager()) {
            Block g = TrainTestSupport.mlp(m, 2, 16, 2, (int) seed + 1);
            Block d = TrainTestSupport.mlp(m, 2, 16, 1, (int) seed + 2);
            MultiPlayerStep step = GanToyTest.gan(g, d, UpdatePlan.everyStep());
            GanToyTest.GaussianSource source = new GanToyTest.GaussianSource();
            double before = distance(g, m, seed);
            double sum = 0;
            int checkpoints = 0;
            int done = 0;
            for (int until = STEPS / 2; until <= STEPS; until += 50) {
                // Fit re-seeds every step from (seed, step): chunks are the uninterrupted run
                Fit.builder().setStep(step).setSource(source).setManager(m).optStartStep(done)
                        .optTotalSteps(until).optSeed(seed + 3).build().run();
                done = until;
                sum += distance(g, m, seed);
                checkpoints++;
            }
            return new double[] {before, sum / checkpoints};
        }
    }

    /** Distance of the mean of 4096 generated points to the data mean. */
    private static double distance(Block generator, NDManager m, long seed) {
        try (NDManager scope = m.newSubManager()) {
            Engine.getInstance().setRandomSeed((int) seed + 4);
            NDArray x = TrainTestSupport.forward(generator, scope.randomNormal(new Shape(4096, 2)));
            float[] mean = x.mean(new int[] {0}).toFloatArray();
            return Math.hypot(mean[0] - GanToyTest.DATA_MEAN[0], mean[1] - GanToyTest.DATA_MEAN[1]);
        }
    }
}
