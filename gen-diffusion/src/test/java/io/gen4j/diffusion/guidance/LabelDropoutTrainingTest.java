package io.gen4j.diffusion.guidance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.BatchSource;
import io.gen4j.core.nn.UNet;
import io.gen4j.core.nn.UNetConfig;
import io.gen4j.core.testing.TrainingChecks;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.AdamW;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.diffusion.DdpmObjective;
import io.gen4j.diffusion.LossWeighting;
import io.gen4j.diffusion.NoiseSchedule;
import io.gen4j.diffusion.Prediction;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DDPM training with label dropout: a resumed run equals an uninterrupted one bit for bit, and memory stays flat. */
class LabelDropoutTrainingTest {

    private static final UNetConfig TINY = UNetConfig.builder().setImageChannels(1).optBaseChannels(8)
            .optChannelMultipliers(1, 2).optGroups(4).optClasses(2).build();

    /** Labelled 8×8 batches, a pure function of the position. */
    private static final class Stripes implements BatchSource {
        private long position;

        @Override
        public NDList next(NDManager manager) {
            java.util.Random r = new java.util.Random(1000 + position++);
            int n = 8;
            float[] x = new float[n * 64];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = r.nextInt(2);
                for (int p = 0; p < 64; p++) {
                    boolean on = labels[i] == 0 ? p % 8 < 4 : p / 8 < 4;
                    x[i * 64 + p] = on ? 0.8f : -0.8f;
                }
            }
            return new NDList(manager.create(x, new Shape(n, 1, 8, 8)), manager.create(labels));
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public void seek(long position) {
            this.position = position;
        }
    }

    private static ObjectiveStep step(UNet unet) {
        DdpmObjective<UNet> objective = new DdpmObjective<>(unet, NoiseSchedule.cosine(50), Prediction.EPSILON,
                LossWeighting.uniform(), true).withLabelDropout(new ConditionDropout(0.3, NullCondition.label(2)));
        return ObjectiveStep.builder().setObjective(objective)
                .setOptimizer(AdamW.factory(LearningRateSchedule.constant(1e-3), AdamConfig.defaults())).build();
    }

    private static TrainingChecks.Setup setup() {
        NDManager m = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(4);
        UNet unet = new UNet(TINY);
        unet.initialize(m, DataType.FLOAT32, new Shape(8, 1, 8, 8), new Shape(8), new Shape(8));
        return TrainingChecks.Setup.of(step(unet), new Stripes(), m);
    }

    @Test
    void resumeWithLabelDropoutIsBitExact(@TempDir Path dir) {
        TrainingChecks.assertResumeIsBitExact(LabelDropoutTrainingTest::setup, 21, 6, 3, dir);
    }

    @Test
    void stepsKeepTheDataManagerFlat() {
        try (TrainingChecks.Setup s = setup(); NDManager data = NDManager.newBaseManager()) {
            int before = data.getManagedArrays().size();
            for (int i = 0; i < 5; i++) {
                try (NDManager scope = data.newSubManager()) {
                    Map<String, Double> metrics = s.step().step(s.source().next(scope), i);
                    assertEquals(true, Double.isFinite(metrics.get("loss")));
                }
                assertEquals(before, data.getManagedArrays().size(), "step " + i);
            }
        }
    }

    @Test
    void dropoutNeedsAConditionalObjective() {
        try (NDManager m = NDManager.newBaseManager()) {
            UNet unet = new UNet(TINY);
            unet.initialize(m, DataType.FLOAT32, new Shape(2, 1, 8, 8), new Shape(2), new Shape(2));
            assertThrows(IllegalArgumentException.class, () -> new DdpmObjective<>(unet, NoiseSchedule.cosine(50),
                    Prediction.EPSILON, LossWeighting.uniform(), false, new ConditionDropout(0.1, NullCondition.label(2))));
        }
    }
}
