package io.gen4j.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class AdamTest {

    private static NDArray loss(Block net, NDArray x, NDArray y) {
        return TrainTestSupport.forward(net, x).sub(y).square().sum();
    }

    private static void backward(Block net, NDArray x, NDArray y) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(loss(net, x, y));
        }
    }

    private static Block linear(NDManager m) {
        Linear lin = Linear.builder().setUnits(3).build();
        lin.initialize(m, DataType.FLOAT32, new Shape(1, 4));
        return lin;
    }

    @Test
    void matchesDjlAdamOverTenSteps() {
        try (NDManager m = NDManager.newBaseManager()) {
            // A linear model with a summed loss keeps every gradient far above eps; DJL adds eps
            // before the bias correction of v, PyTorch (and we) after it, which differs by about
            // eps / |g| per step.
            Block ours = linear(m);
            Block theirs = linear(m);
            TrainTestSupport.copyParameters(ours, theirs, m);
            Engine.getInstance().setRandomSeed(3);
            NDArray x = m.randomNormal(new Shape(16, 4));
            NDArray y = m.randomNormal(new Shape(16, 3));

            Adam adam = new Adam(LearningRateSchedule.constant(0.01),
                    new AdamConfig(0.9, 0.999, 1e-8, 0.0), ours);
            Optimizer djl = Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f))
                    .optBeta1(0.9f).optBeta2(0.999f).optEpsilon(1e-8f).build();
            for (int step = 0; step < 10; step++) {
                try (NDManager scope = m.newSubManager()) {
                    NDArray xs = x.duplicate();
                    xs.attach(scope);
                    backward(ours, xs, y);
                    adam.update();
                    backward(theirs, xs, y);
                    for (Pair<String, Parameter> p : theirs.getParameters()) {
                        NDArray w = p.getValue().getArray();
                        try (NDArray g = w.getGradient()) {
                            djl.update(p.getValue().getId(), w, g);
                        }
                    }
                }
            }
            float[] a = TrainTestSupport.values(ours);
            float[] b = TrainTestSupport.values(theirs);
            for (int i = 0; i < a.length; i++) {
                assertEquals(b[i], a[i], 1e-6, "parameter " + i);
            }
            assertEquals(10, adam.updates());
        }
    }

    @Test
    void adamWAppliesDecoupledWeightDecay() {
        // loss = sum(w * c) has the constant gradient c; replay AdamW in doubles.
        double lr = 0.05;
        double wd = 0.1;
        AdamConfig config = new AdamConfig(0.8, 0.95, 1e-8, wd);
        try (NDManager m = NDManager.newBaseManager()) {
            Linear lin = Linear.builder().setUnits(2).optBias(false).build();
            lin.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            Parameter weight = lin.getParameters().get("weight");
            float[] start = {0.5f, -1f, 2f, 0.25f, -0.75f, 1.5f};
            weight.getArray().set(start);
            float[] c = {1f, -2f, 0.5f, 3f, 0f, -1f};
            NDArray cArr = m.create(c, new Shape(2, 3));
            AdamW adamW = new AdamW(LearningRateSchedule.constant(lr), config, lin);
            double[] w = new double[6];
            double[] mm = new double[6];
            double[] v = new double[6];
            for (int i = 0; i < 6; i++) {
                w[i] = start[i];
            }
            for (int t = 1; t <= 10; t++) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(weight.getArray().mul(cArr).sum());
                }
                adamW.update();
                for (int i = 0; i < 6; i++) {
                    w[i] *= 1 - lr * wd;
                    mm[i] = 0.8 * mm[i] + 0.2 * c[i];
                    v[i] = 0.95 * v[i] + 0.05 * c[i] * c[i];
                    double mHat = mm[i] / (1 - Math.pow(0.8, t));
                    double vHat = v[i] / (1 - Math.pow(0.95, t));
                    w[i] -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
                }
            }
            float[] got = weight.getArray().toFloatArray();
            for (int i = 0; i < 6; i++) {
                assertEquals(w[i], got[i], 1e-5, "w" + i);
            }
            // the zero-gradient entry only decays: w * (1 - lr wd)^10
            assertEquals(start[4] * Math.pow(1 - lr * wd, 10), got[4], 1e-6);
        }
    }

    @Test
    void stateRoundTripContinuesIdentically() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Block a = TrainTestSupport.mlp(m, 4, 8, 3, 5);
            Engine.getInstance().setRandomSeed(6);
            NDArray x = m.randomNormal(new Shape(16, 4));
            NDArray y = m.randomNormal(new Shape(16, 3));
            AdamW optA = new AdamW(LearningRateSchedule.linearWarmup(0.01, 3),
                    AdamConfig.defaults().withWeightDecay(0.01), a);
            for (int i = 0; i < 5; i++) {
                backward(a, x, y);
                optA.update();
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            optA.saveState(new DataOutputStream(bytes));

            Block b = TrainTestSupport.mlp(m, 4, 8, 3, 9);
            TrainTestSupport.copyParameters(a, b, m);
            AdamW optB = new AdamW(LearningRateSchedule.linearWarmup(0.01, 3),
                    AdamConfig.defaults().withWeightDecay(0.01), b);
            optB.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            assertEquals(5, optB.updates());
            for (int i = 0; i < 5; i++) {
                backward(a, x, y);
                optA.update();
                backward(b, x, y);
                optB.update();
            }
            assertArrayEquals(TrainTestSupport.values(a), TrainTestSupport.values(b));
        }
    }

    @Test
    void rejectsStateOfAnotherKindOrShape() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Block a = TrainTestSupport.mlp(m, 4, 8, 3, 5);
            Block b = TrainTestSupport.mlp(m, 4, 6, 3, 5);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            new Adam(LearningRateSchedule.constant(0.1), AdamConfig.defaults(), a)
                    .saveState(new DataOutputStream(bytes));
            AdamW other = new AdamW(LearningRateSchedule.constant(0.1), AdamConfig.defaults(), a);
            assertThrows(IOException.class, () -> other.loadState(
                    new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
            Adam smaller = new Adam(LearningRateSchedule.constant(0.1), AdamConfig.defaults(), b);
            assertThrows(IOException.class, () -> smaller.loadState(
                    new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
        }
    }

    @Test
    void validatesConfig() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AdamConfig(1.3, 0.999, 1e-8, 0));
        assertEquals("beta1 must be in [0,1), got 1.3", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AdamConfig(0.9, 0.999, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new AdamConfig(0.9, 0.999, 1e-8, -1));
    }

    @Test
    void updatesDoNotLeakArrays() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block a = TrainTestSupport.mlp(m, 4, 8, 3, 5);
            NDArray x = m.randomNormal(new Shape(16, 4));
            NDArray y = m.randomNormal(new Shape(16, 3));
            Adam adam = new Adam(LearningRateSchedule.constant(0.01), AdamConfig.defaults(), a);
            for (int i = 0; i < 3; i++) {
                try (NDManager s = m.newSubManager()) {
                    NDArray xs = x.duplicate();
                    xs.attach(s);
                    backward(a, xs, y);
                    adam.update();
                }
            }
            int before = m.getManagedArrays().size();
            for (int i = 0; i < 20; i++) {
                try (NDManager s = m.newSubManager()) {
                    NDArray xs = x.duplicate();
                    xs.attach(s);
                    backward(a, xs, y);
                    adam.update();
                }
            }
            assertEquals(before, m.getManagedArrays().size());
        }
    }

}
