package io.gen4j.diffusion.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.data.BatchSource;
import io.gen4j.core.model.Condition;
import io.gen4j.core.nn.UNet;
import io.gen4j.core.nn.UNetConfig;
import io.gen4j.core.testing.TrainingChecks;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.AdamW;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.diffusion.DdimSampler;
import io.gen4j.diffusion.DiffusionModel;
import io.gen4j.diffusion.GaussianDataDenoiser;
import io.gen4j.diffusion.NoiseSchedule;
import io.gen4j.diffusion.Prediction;
import io.gen4j.diffusion.Spacing;
import io.gen4j.diffusion.TimeGrid;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Progressive distillation: the target against two teacher DDIM steps computed here in closed form
 * (and, for the last step, by DdimSampler), grid halving, student initialisation, bit-exact resume.
 */
class ProgressiveDistillationTest {

    static final NoiseSchedule SCHEDULE = NoiseSchedule.cosine(200);
    static final double MU = 0.3;
    static final double S = 0.7;

    /** x̂0 of Gaussian data N(MU, S²) at step t, in closed form. */
    static double x0Hat(double x, int t) {
        double ab = SCHEDULE.alphaBar(t);
        double a = Math.sqrt(ab);
        return MU + a * S * S / (ab * S * S + 1 - ab) * (x - a * MU);
    }

    /** One DDIM (η = 0) step t → s by hand: √ᾱ_s x̂0 + √(1 − ᾱ_s) ε̂, ε̂ = (x − √ᾱ_t x̂0)/√(1 − ᾱ_t). */
    static double ddim(double x, int t, int s) {
        double x0 = x0Hat(x, t);
        double eps = (x - Math.sqrt(SCHEDULE.alphaBar(t)) * x0) / Math.sqrt(1 - SCHEDULE.alphaBar(t));
        double abS = SCHEDULE.alphaBar(s);
        return Math.sqrt(abS) * x0 + Math.sqrt(1 - abS) * eps;
    }

    @Test
    void oneStudentStepWithTheTargetLandsWhereTwoTeacherStepsLand() {
        DiffusionModel teacher = new DiffusionModel(new GaussianDataDenoiser(SCHEDULE, new double[] {MU},
                new double[] {S}, Prediction.VELOCITY), SCHEDULE, Prediction.VELOCITY);
        int[] t = {199, 150, 80, 20, 9};
        int[] mid = {180, 120, 50, 10, 4};
        int[] next = {160, 100, 30, 5, -1};
        double[] z = {1.3, -0.4, 0.8, -1.1, 0.25};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray zt = m.create(z, new Shape(5, 1));
            double[] target = ProgressiveDistillation.target(teacher, zt, t, mid, next, Condition.none())
                    .toDoubleArray();
            for (int i = 0; i < 5; i++) {
                double twoSteps = ddim(ddim(z[i], t[i], mid[i]), mid[i], next[i]);
                double abT = SCHEDULE.alphaBar(t[i]);
                double abNext = SCHEDULE.alphaBar(next[i]);
                // the student's one DDIM step with x̂0 = x̃
                double epsTilde = (z[i] - Math.sqrt(abT) * target[i]) / Math.sqrt(1 - abT);
                double oneStep = Math.sqrt(abNext) * target[i] + Math.sqrt(1 - abNext) * epsTilde;
                assertEquals(twoSteps, oneStep, 1e-10, "example " + i);
            }
            // the last student step: x̃ is the teacher's DDIM from t through t' to clean data
            double viaSampler = DdimSampler.deterministic().sample(teacher, m.create(new double[] {z[4]},
                    new Shape(1, 1)), new TimeGrid(new int[] {9, 4}), Condition.none(), false).samples()
                    .toDoubleArray()[0];
            assertEquals(viaSampler, target[4], 1e-10);
        }
    }

    @Test
    void halvingKeepsEveryOtherStep() {
        TimeGrid g = TimeGrid.spaced(1000, 8, Spacing.TRAILING);
        assertArrayEquals(new int[] {999, 749, 499, 249}, ProgressiveDistillation.halve(g).steps());
        assertThrows(IllegalArgumentException.class,
                () -> ProgressiveDistillation.halve(TimeGrid.spaced(1000, 3, Spacing.TRAILING)));
    }

    private static final UNetConfig TINY = UNetConfig.builder().setImageChannels(1).optBaseChannels(8)
            .optChannelMultipliers(1, 2).optGroups(4).optClasses(2).build();

    private static UNet unet(NDManager m) {
        UNet u = new UNet(TINY);
        u.initialize(m, DataType.FLOAT32, new Shape(4, 1, 8, 8), new Shape(4), new Shape(4));
        return u;
    }

    @Test
    void theStudentStartsAsTheTeacher() {
        Engine.getInstance().setRandomSeed(2);
        try (NDManager m = NDManager.newBaseManager()) {
            UNet teacher = unet(m);
            teacher.getParameters().values().forEach(p -> p.getArray().set(
                    m.randomNormal(0, 0.2f, p.getArray().getShape(), DataType.FLOAT32).toFloatArray()));
            UNet student = unet(m);
            ProgressiveDistillation.initialiseFrom(teacher, student);
            NDArray x = m.randomNormal(new Shape(4, 1, 8, 8));
            NDArray t = m.create(new float[] {1, 2, 3, 4});
            Condition c = Condition.labels(m.create(new int[] {0, 1, 1, 2}));
            float[] a = teacher.denoiser(new ParameterStore(m, false), false).predict(x, t, c).toFloatArray();
            float[] b = student.denoiser(new ParameterStore(m, false), false).predict(x, t, c).toFloatArray();
            assertArrayEquals(a, b, 0f);
            assertTrue(java.util.Arrays.stream(new double[] {a[0], a[1]}).anyMatch(v -> v != 0));
        }
    }

    /** Labelled 8×8 batches, a pure function of the position. */
    private static final class Blocks implements BatchSource {
        private long position;

        @Override
        public NDList next(NDManager manager) {
            java.util.Random r = new java.util.Random(77 + position++);
            float[] x = new float[4 * 64];
            int[] labels = new int[4];
            for (int i = 0; i < 4; i++) {
                labels[i] = r.nextInt(2);
                for (int p = 0; p < 64; p++) {
                    x[i * 64 + p] = (labels[i] == 0 ? p % 8 < 4 : p / 8 < 4) ? 0.8f : -0.8f;
                }
            }
            return new NDList(manager.create(x, new Shape(4, 1, 8, 8)), manager.create(labels));
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

    private static TrainingChecks.Setup setup() {
        NDManager m = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(9);
        UNet teacherNet = unet(m);
        UNet student = unet(m);
        ProgressiveDistillation.initialiseFrom(teacherNet, student);
        NoiseSchedule schedule = NoiseSchedule.cosine(50);
        DiffusionModel teacher = new DiffusionModel(teacherNet.denoiser(new ParameterStore(m, false), false), schedule,
                Prediction.VELOCITY);
        ProgressiveDistillation<UNet> objective = new ProgressiveDistillation<>(student, teacher,
                TimeGrid.spaced(50, 8, Spacing.TRAILING), true);
        ObjectiveStep step = ObjectiveStep.builder().setObjective(objective)
                .setOptimizer(AdamW.factory(LearningRateSchedule.constant(1e-3), AdamConfig.defaults())).build();
        return TrainingChecks.Setup.of(step, new Blocks(), m);
    }

    @Test
    void distillationResumesBitExactly(@TempDir Path dir) {
        TrainingChecks.assertResumeIsBitExact(ProgressiveDistillationTest::setup, 5, 6, 3, dir);
    }
}
