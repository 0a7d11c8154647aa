package io.gen4j.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Global-norm clipping on the device against an independent float64 computation on the host:
 * n = sqrt(Σ g²) over every gradient entry, factor min(1, c / (n + 1e-6)).
 */
class DeviceClippingTest {

    /** A 3-layer MLP whose gradients are random: loss = Σ W ⊙ R over the parameters, R ~ N(0, s²). */
    private static SequentialBlock withRandomGradients(NDManager m, long seed, float scale) {
        Engine.getInstance().setRandomSeed((int) seed);
        SequentialBlock net = new SequentialBlock()
                .add(Linear.builder().setUnits(31).build())
                .add(Linear.builder().setUnits(9).build())
                .add(Linear.builder().setUnits(4).build());
        net.initialize(m, DataType.FLOAT32, new Shape(2, 13));
        Random random = new Random(seed);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = null;
            for (Pair<String, Parameter> p : net.getParameters()) {
                NDArray w = p.getValue().getArray();
                float[] r = new float[(int) w.size()];
                for (int i = 0; i < r.length; i++) {
                    r[i] = (float) (random.nextGaussian() * scale);
                }
                NDArray term = w.mul(m.create(r, w.getShape())).sum();
                loss = loss == null ? term : loss.add(term);
            }
            gc.backward(loss);
        }
        return net;
    }

    private static List<float[]> gradients(Block net) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            try (NDArray g = p.getValue().getArray().getGradient()) {
                out.add(g.toFloatArray());
            }
        }
        return out;
    }

    private static double hostNorm(List<float[]> gradients) {
        double sum = 0;
        for (float[] g : gradients) {
            for (float v : g) {
                sum += (double) v * v;
            }
        }
        return Math.sqrt(sum);
    }

    private static void assertClipped(double maxNorm, float scale, long seed) {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock net = withRandomGradients(m, seed, scale);
            List<float[]> before = gradients(net);
            double norm = hostNorm(before);
            double factor = Math.min(1.0, maxNorm / (norm + 1e-6));
            double returned;
            try (NDManager scope = m.newSubManager()) {
                NDArray n = Gradients.clipGlobalNorm(scope, maxNorm, net);
                assertEquals(new Shape(), n.getShape());
                returned = n.toType(DataType.FLOAT64, false).getDouble();
            }
            assertEquals(norm, returned, 2e-6 * norm);
            List<float[]> after = gradients(net);
            for (int k = 0; k < before.size(); k++) {
                for (int i = 0; i < before.get(k).length; i++) {
                    double expected = before.get(k)[i] * factor;
                    assertEquals(expected, after.get(k)[i], 2e-6 * Math.abs(expected) + 1e-30,
                            "parameter " + k + " entry " + i);
                }
            }
            if (factor == 1.0) {
                for (int k = 0; k < before.size(); k++) {
                    assertArrayEquals(before.get(k), after.get(k), "unclipped gradients keep their bits");
                }
            }
        }
    }

    @Test
    void clipsLargeGradientsAsTheDoublePrecisionFormula() {
        for (long seed = 1; seed <= 3; seed++) {
            assertClipped(1.0, 0.5f, seed); // norm about 0.5 · sqrt(580) ≈ 12: factor about 0.08
        }
    }

    @Test
    void leavesSmallGradientsBitForBit() {
        assertClipped(1e3, 0.5f, 7);
    }

    @Test
    void agreesWithTheHostReadingClipAndTheTrainingStep() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock a = withRandomGradients(m, 11, 1f);
            double norm = hostNorm(gradients(a));
            assertEquals(norm, Gradients.clipGlobalNorm(norm / 3, a), 2e-6 * norm);
            assertEquals(norm / 3, hostNorm(gradients(a)), 4e-6 * norm);
        }
        // inside a step: gradNorm is logged, and steps after the first leave no array behind
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            Linear lin = Linear.builder().setUnits(1).build();
            lin.initialize(m, DataType.FLOAT32, new Shape(4, 3));
            ObjectiveStep step = ObjectiveStep.builder().optName("lin")
                    .setObjective(Objective.of(lin, (context, batch) -> LossTerms.of(lin.forward(context.parameters(),
                            batch, true).head().square().sum())))
                    .setOptimizer(Adam.factory(LearningRateSchedule.constant(1e-3), AdamConfig.defaults()))
                    .optClipNorm(0.1).build();
            int before = m.getManagedArrays().size();
            for (int i = 0; i < 3; i++) {
                try (NDManager scope = m.newSubManager()) {
                    NDArray x = scope.randomNormal(new Shape(4, 3));
                    double g = step.step(new NDList(x), i).get("gradNorm");
                    assertTrue(g > 0.1, "the test needs a clipped step, gradNorm " + g);
                }
                if (i > 0) { // the first step makes the optimizer's state
                    assertEquals(before, m.getManagedArrays().size(), "step " + i);
                }
                before = m.getManagedArrays().size();
            }
        }
    }
}
