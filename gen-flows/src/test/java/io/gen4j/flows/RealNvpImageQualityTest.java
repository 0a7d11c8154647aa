package io.gen4j.flows;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.data.Split;
import io.gen4j.core.runtime.Seeds;
import io.gen4j.core.testing.FashionMnistSubset;
import io.gen4j.core.train.Adam;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.TrainTestSupport;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Regression guard (group {@code quality}, {@code mvn verify -Pquality}): a small multi-scale
 * RealNVP (the image flow of topic 11-08: dequantisation, logit, 2 scales) trained for a fixed budget
 * and seed on the 600 training images of the committed FashionMNIST subset must reach the bits/dim
 * on its 500 test images it reached when the guard was written (exact likelihood of the dequantised
 * pixels, an upper bound on the 8-bit code length; 8 bits/dim is a uniform model).
 *
 * <p>A likelihood that is wrong can look better than a right one (a flipped log-det sign gave −5.2
 * bits/dim), so the guard is two-sided: a value far below what this budget reaches fails too, and
 * asks for a look before the number is lowered.
 */
@Tag("quality")
class RealNvpImageQualityTest {

    /** 2 scales, 1 coupling per stage, conditioners of 16 channels with one residual block. */
    static final RealNvp.ImageConfig MODEL = RealNvp.ImageConfig.builder().setImageShape(1, 28, 28)
            .optCouplings(1).optHidden(16).optResBlocks(1).optGroups(4).build();

    /**
     * Measured with seed 0 and one intra-op thread on the build machine (2026-12-01): 4.3725
     * bits/dim (repeated: the same; two threads: 4.3724). The flow after its ActNorm initialisation
     * scores 5.78, after 100 steps 4.49, after 400 steps 4.27.
     */
    static final double MEASURED_BITS_PER_DIM = 4.3725;
    /**
     * Seeds 0, 1, 2 gave 4.3725, 4.3689, 4.3731 (spread 0.004); the margin is several times that
     * and still well below what half the budget costs (+0.12 at 100 steps).
     */
    static final double MARGIN = 0.03;

    /**
     * The lowest plausible value for this budget: 0.3 below the measured one. Twice the steps
     * (400) reach 4.27, the topic's larger flow after 400 steps on 60k images 3.60
     * (docs/results.md).
     */
    static final double FLOOR = MEASURED_BITS_PER_DIM - 0.3;

    @Test
    void testBitsPerDimStayLow() {
        double[] bpd = new double[1];
        long t0 = System.nanoTime();
        TrainTestSupport.withOneThread(() -> bpd[0] = testBitsPerDim(0, 200, 16));
        String message = String.format(Locale.ROOT,
                "RealNVP FashionMNIST-subset test bits/dim = %.4f; measured %.4f + margin %.4f, floor %.4f (%.1f s)",
                bpd[0], MEASURED_BITS_PER_DIM, MARGIN, FLOOR, (System.nanoTime() - t0) / 1e9);
        System.out.println(message);
        assertTrue(bpd[0] <= MEASURED_BITS_PER_DIM + MARGIN, message);
        assertTrue(bpd[0] >= FLOOR, message);
    }

    /**
     * Trains a fresh flow and measures its test bits/dim.
     *
     * @param seed the run's seed (initialisation, batch order, dequantisation noise, Fit's step seeds)
     * @param steps Adam steps (warm-up over the first 10 %, cosine decay from 1e-3 to 5e-5)
     * @param batch images per step
     * @return the mean test NLL in bits per dimension
     */
    static double testBitsPerDim(long seed, int steps, int batch) {
        ImageDataset train = FashionMnistSubset.load(Split.TRAIN);
        ImageDataset test = FashionMnistSubset.load(Split.TEST);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Seeds.seedEngine(seed);
            NormalizingFlow flow = RealNvp.image(MODEL);
            flow.initialize(manager, DataType.FLOAT32, new Shape(batch, 1, 28, 28));
            try (NDManager init = manager.newSubManager()) {
                flow.initializeFromData(train.toNDArray(init, PixelRange.ZERO_ONE));
            }
            if (steps > 0) {
                ObjectiveStep step = ObjectiveStep.builder().optName("flow")
                        .setObjective(new MaximumLikelihoodObjective(flow))
                        .setOptimizer(Adam.factory(LearningRateSchedule.cosine(1e-3, 5e-5, steps / 10, steps),
                                AdamConfig.defaults()))
                        .optClipNorm(100).build();
                Fit.builder().setStep(step)
                        .setSource(train.batches(batch, Seeds.derive(seed, 1), true, PixelRange.ZERO_ONE))
                        .setManager(manager).optTotalSteps(steps).optSeed(seed).build().run();
            }
            try (NDManager scope = manager.newSubManager()) {
                Seeds.seedEngine(Seeds.derive(seed, 2));
                NDArray x = test.toNDArray(scope, PixelRange.ZERO_ONE);
                return flow.bitsPerDim(x).mean().getFloat();
            }
        }
    }
}
