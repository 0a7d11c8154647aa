package io.gen4j.autoencoders;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The importance-weighted bound is at least the ELBO and does not decrease with K.
 *
 * <p>Two exact statements on a fixed sample set (Jensen on the empirical distribution, and Burda et
 * al.'s subset argument), then the model-level statement in expectation, on a random VAE.
 */
class IwaeTest {

    /** For any weights, log mean w ≥ mean log w: the K-sample bound beats the same samples' ELBO. */
    @Property(tries = 50, seed = "20261128")
    void logMeanExpIsAtLeastTheMeanLog(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
            @ForAll @IntRange(min = 1, max = 40) int k) {
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            Random rng = new Random(seed);
            double[] w = new double[3 * k];
            for (int i = 0; i < w.length; i++) {
                w[i] = rng.nextGaussian() * 5 - 100;
            }
            NDArray logW = m.create(w).reshape(3, k);
            double[] bound = Iwae.logMeanExp(logW, 1).toDoubleArray();
            double[] elbo = logW.mean(new int[] {1}).toDoubleArray();
            for (int i = 0; i < 3; i++) {
                assertTrue(bound[i] >= elbo[i] - 1e-9, "IWAE " + bound[i] + " < ELBO " + elbo[i]);
            }
        }
    }

    /**
     * The average of the K-sample bound over all K-subsets of M samples is non-decreasing in K
     * (Burda et al. 2016, Theorem 1, applied to the empirical distribution): exact, no noise.
     */
    @Property(tries = 30, seed = "20261128")
    void subsetAveragedBoundIsNonDecreasingInK(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        int m = 7;
        Random rng = new Random(seed);
        double[] logW = new double[m];
        for (int i = 0; i < m; i++) {
            logW[i] = rng.nextGaussian() * 3;
        }
        double previous = Double.NEGATIVE_INFINITY;
        for (int k = 1; k <= m; k++) {
            double sum = 0;
            int count = 0;
            for (int mask = 0; mask < (1 << m); mask++) {
                if (Integer.bitCount(mask) != k) {
                    continue;
                }
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < m; i++) {
                    if ((mask & (1 << i)) != 0) {
                        max = Math.max(max, logW[i]);
                    }
                }
                double s = 0;
                for (int i = 0; i < m; i++) {
                    if ((mask & (1 << i)) != 0) {
                        s += Math.exp(logW[i] - max);
                    }
                }
                sum += max + Math.log(s / k);
                count++;
            }
            double bound = sum / count;
            assertTrue(bound >= previous - 1e-12, "K=" + k + ": " + bound + " < " + previous);
            previous = bound;
        }
    }

    /**
     * On a random VAE and random binary data: mean ELBO ≤ mean IWAE_K, and IWAE is non-decreasing
     * in K = 1, 4, 32 in expectation: each mean difference over 256 examples must not be below
     * minus three standard errors.
     */
    @Property(tries = 4, seed = "20261128")
    void modelBoundIsAboveTheElboAndGrowsWithK(@ForAll @LongRange(min = 0, max = 1000) long seed) {
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            Engine.getInstance().setRandomSeed((int) seed);
            Shape dataShape = new Shape(6);
            Vae vae = new Vae(Networks.mlpEncoder(2 * 3, 8), Networks.mlpDecoder(dataShape, 8),
                    VaeConfig.defaults(3), dataShape);
            int n = 256;
            vae.initialize(m, DataType.FLOAT64, new Shape(n, 6));
            NDArray x = m.randomUniform(0, 1, new Shape(n, 6), DataType.FLOAT64).gt(0.5).toType(DataType.FLOAT64, false);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray elbo = vae.elbo(ps, x);
            NDArray k1 = vae.importanceWeightedBound(ps, x, 1);
            NDArray k4 = vae.importanceWeightedBound(ps, x, 4);
            NDArray k32 = vae.importanceWeightedBound(ps, x, 32);
            assertNotBelow(k32.sub(elbo), "IWAE_32 − ELBO");
            assertNotBelow(k4.sub(k1), "IWAE_4 − IWAE_1");
            assertNotBelow(k32.sub(k4), "IWAE_32 − IWAE_4");
        }
    }

    private static void assertNotBelow(NDArray difference, String what) {
        double mean = difference.mean().getDouble();
        double sd = Math.sqrt(difference.sub(mean).square().mean().getDouble());
        double se = sd / Math.sqrt(difference.getShape().get(0));
        assertTrue(mean >= -3 * se, what + " = " + mean + " is below −3 standard errors (" + se + ")");
    }
}
