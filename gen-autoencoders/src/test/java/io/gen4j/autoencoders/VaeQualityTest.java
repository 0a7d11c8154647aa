package io.gen4j.autoencoders;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.data.Split;
import io.gen4j.core.runtime.Seeds;
import io.gen4j.core.testing.FashionMnistSubset;
import io.gen4j.core.train.Adam;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.Objective;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.TrainTestSupport;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Regression guard (group {@code quality}, {@code mvn verify -Pquality}): the Bernoulli VAE of topic
 * 11-02 (MLP encoder and decoder, KL warm-up, dynamically binarised pixels), trained for a fixed
 * budget and seed on the 600 training images of the committed FashionMNIST subset, must reach the
 * test NLL it reached when the guard was written. The NLL is −L_K, the importance-weighted bound
 * with a fixed K, on the subset's 500 test images binarised once with a fixed Java seed (nats per
 * image; the untrained model scores 546, about 784 ln 2).
 *
 * <p>An estimate that is computed wrongly can look better than a right one (dropping log p(z) from
 * the importance weights lowered it by 25 nats), so the guard is two-sided: a value far below what
 * this budget reaches fails too, and asks for a look before the number is lowered.
 */
@Tag("quality")
class VaeQualityTest {

    /** Latent size d. */
    static final int LATENT = 16;
    /** Hidden units of the encoder's and the decoder's one hidden layer. */
    static final int HIDDEN = 256;
    /** Importance samples of the IWAE bound. */
    static final int K = 64;

    /**
     * Measured with seed 0 and one intra-op thread on the build machine (2026-12-01): 253.51 nats
     * (repeated: the same; two threads: 253.73). The untrained VAE scores 546.2, 600 steps 259.5,
     * 2000 steps 248.9.
     */
    static final double MEASURED_NLL = 253.51;

    /**
     * Seeds 0, 1, 2 gave 253.51, 253.57, 253.48 (spread 0.1). Before the subset had a training
     * part (training on 400 of its test images, testing on the other 100) the same guard varied by
     * 2.8 nats over seeds, threads and repeated runs of one seed (the cause of the run-to-run part
     * is not pinned down), so the margin is wider than today's spread; it is half the cost of
     * training 40 % less (+6.0 at 600 steps).
     */
    static final double MARGIN = 3.0;

    /**
     * The lowest plausible value for this budget: 15 nats below the measured one. Twice the steps
     * (2000) reach 248.9; the topic's VAE trained on 60k images 239.4 with K = 200
     * (docs/results.md).
     */
    static final double FLOOR = MEASURED_NLL - 15;

    @Test
    void iwaeTestNllStaysLow() {
        double[] nll = new double[1];
        long t0 = System.nanoTime();
        TrainTestSupport.withOneThread(() -> nll[0] = testNll(0, 1000, 64));
        String message = String.format(Locale.ROOT,
                "VAE test NLL (IWAE, K = %d) = %.2f nats per image; measured %.2f + margin %.2f, floor %.2f "
                        + "(%.1f s)", K, nll[0], MEASURED_NLL, MARGIN, FLOOR, (System.nanoTime() - t0) / 1e9);
        System.out.println(message);
        assertTrue(nll[0] <= MEASURED_NLL + MARGIN, message);
        assertTrue(nll[0] >= FLOOR, message);
    }

    /**
     * Trains a fresh VAE and measures its test NLL.
     *
     * @param seed the run's seed (initialisation, batch order, binarisation, Fit's step seeds)
     * @param steps Adam steps at 1e-3 (0: the untrained model)
     * @param batch images per step
     * @return −L_K averaged over the test images, nats per image
     */
    static double testNll(long seed, int steps, int batch) {
        ImageDataset train = FashionMnistSubset.load(Split.TRAIN);
        ImageDataset test = FashionMnistSubset.load(Split.TEST);
        Shape image = new Shape(1, 28, 28);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Seeds.seedEngine(seed);
            Vae vae = new Vae(Networks.mlpEncoder(2 * LATENT, HIDDEN), Networks.mlpDecoder(image, HIDDEN),
                    VaeConfig.defaults(LATENT).withKl(new KlSchedule(1, steps / 10, 0)), image);
            vae.initialize(manager, DataType.FLOAT32, new Shape(batch).addAll(image));
            ObjectiveStep step = ObjectiveStep.builder().optName("vae")
                    .setObjective(Objective.of(vae, (ctx, b) -> vae.loss(ctx.parameters(), binarise(b.head()),
                            ctx.step(), ctx.training())))
                    .setOptimizer(Adam.factory(LearningRateSchedule.constant(1e-3), AdamConfig.defaults()))
                    .build();
            if (steps > 0) {
                Fit.builder().setStep(step)
                        .setSource(train.batches(batch, Seeds.derive(seed, 1), true, PixelRange.ZERO_ONE))
                        .setManager(manager).optTotalSteps(steps).optSeed(seed).build().run();
            }
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = binarisedOnce(scope, test, 2024);
                Seeds.seedEngine(Seeds.derive(seed, 2));
                return -vae.importanceWeightedBound(new ParameterStore(scope, false), x, K).mean().getFloat();
            }
        }
    }

    /** x ~ Bernoulli(intensity) with the engine's generator (seeded per step by Fit). */
    static NDArray binarise(NDArray intensity) {
        return intensity.getManager().randomUniform(0, 1, intensity.getShape(), intensity.getDataType())
                .lt(intensity).toType(intensity.getDataType(), false);
    }

    /** The test images binarised once with a Java generator: the same bits on every engine and thread count. */
    static NDArray binarisedOnce(NDManager manager, ImageDataset images, long seed) {
        Random random = new Random(seed);
        byte[] pixels = images.pixelBytes();
        float[] bits = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            bits[i] = random.nextDouble() < (pixels[i] & 0xFF) / 255.0 ? 1f : 0f;
        }
        return manager.create(bits, new Shape(images.size(), 1, images.height(), images.width()));
    }
}
