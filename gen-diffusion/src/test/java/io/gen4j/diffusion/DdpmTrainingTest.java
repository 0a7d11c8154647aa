package io.gen4j.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.model.Condition;
import io.gen4j.core.nn.UNet;
import io.gen4j.core.nn.UNetConfig;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.AdamW;
import io.gen4j.core.train.Ema;
import io.gen4j.core.train.EmaConfig;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.ObjectiveStep;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DDPM training with a small U-Net through gen-core's ObjectiveStep (AdamW, clipping, EMA). */
class DdpmTrainingTest {

    private static final UNetConfig TINY = UNetConfig.builder().setImageChannels(1).optBaseChannels(8)
            .optChannelMultipliers(1, 2).optGroups(4).optClasses(2).build();

    /** Two classes of 8×8 images: a bright left half or a bright top half, in [−1, 1]. */
    private static NDList batch(NDManager m, int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] x = new float[n * 64];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(2);
            for (int y = 0; y < 8; y++) {
                for (int c = 0; c < 8; c++) {
                    boolean on = labels[i] == 0 ? c < 4 : y < 4;
                    x[i * 64 + y * 8 + c] = on ? 0.8f : -0.8f;
                }
            }
        }
        return new NDList(m.create(x, new Shape(n, 1, 8, 8)), m.create(labels));
    }

    @Test
    void lossFallsAndMemoryStaysFlat() {
        Engine.getInstance().setRandomSeed(17);
        try (NDManager model = NDManager.newBaseManager();
                NDManager data = NDManager.newBaseManager()) {
            UNet unet = new UNet(TINY);
            unet.initialize(model, DataType.FLOAT32, new Shape(16, 1, 8, 8), new Shape(16),
                    new Shape(16));
            NoiseSchedule schedule = NoiseSchedule.cosine(100);
            ObjectiveStep step = ObjectiveStep.builder()
                    .setObjective(new DdpmObjective<>(unet, schedule, Prediction.EPSILON,
                            LossWeighting.uniform(), true))
                    .setOptimizer(AdamW.factory(LearningRateSchedule.constant(3e-3),
                            AdamConfig.defaults()))
                    .optName("unet")
                    .optClipNorm(1.0)
                    .optEma(new EmaConfig(0.9, true))
                    .build();
            Ema ema = step.ema();
            double first = 0;
            double last = 0;
            int before = data.getManagedArrays().size();
            int steps = 40;
            for (int s = 0; s < steps; s++) {
                try (NDManager scope = data.newSubManager()) {
                    Map<String, Double> metrics = step.step(batch(scope, 16, s), s);
                    double loss = metrics.get("loss");
                    assertTrue(Double.isFinite(loss) && Double.isFinite(metrics.get("gradNorm")));
                    if (s < 8) {
                        first += loss / 8;
                    } else if (s >= steps - 8) {
                        last += loss / 8;
                    }
                }
                assertEquals(before, data.getManagedArrays().size(), "step " + s);
            }
            assertTrue(last < 0.8 * first, "loss " + first + " -> " + last);
            assertEquals(steps, ema.updates());

            // Sample from the EMA weights; the result is finite and has the data's shape.
            try (Ema.Swap swap = ema.swapIn(); NDManager scope = data.newSubManager()) {
                DiffusionModel eval = new DiffusionModel(
                        unet.denoiser(new ParameterStore(scope, false), false), schedule,
                        Prediction.EPSILON).withClipX0(1);
                NDArray xT = scope.randomNormal(new Shape(4, 1, 8, 8));
                SamplerResult r = DdimSampler.deterministic().sample(eval, xT,
                        TimeGrid.spaced(100, 10, Spacing.LINSPACE),
                        Condition.labels(scope.create(new int[] {0, 1, 0, 1})), false);
                assertEquals(new Shape(4, 1, 8, 8), r.samples().getShape());
                assertTrue(r.samples().isInfinite().logicalOr(r.samples().isNaN()).none()
                        .getBoolean());
            }
        }
    }
}
