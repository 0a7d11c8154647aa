package io.gen4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ObjectiveStepTest {

    @Test
    void trainsARegressionAndExposesItsState() {
        TrainTestSupport.withOneThread(ObjectiveStepTest::train);
    }

    private static void train() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = TrainTestSupport.mlp(m, 4, 16, 2, 1);
            ObjectiveStep step = ObjectiveStep.builder()
                    .setObjective(Objective.of(net, (ctx, batch) -> {
                        NDArray error = net.forward(ctx.parameters(), new NDList(batch.get(0)),
                                ctx.training()).singletonOrThrow().sub(batch.get(1));
                        return new LossTerms(error.square().mean(),
                                Map.of("meanAbsError", error.abs().mean()));
                    }))
                    .setOptimizer(AdamW.factory(LearningRateSchedule.linearWarmup(0.01, 5),
                            AdamConfig.defaults().withWeightDecay(1e-4)))
                    .optName("net").optClipNorm(10).optEma(EmaConfig.defaults())
                    .build();
            assertSame(net, step.network());
            assertEquals(List.of("net"), List.copyOf(step.state().blocks().keySet()));
            assertEquals(List.of("optimizer", "ema"),
                    List.copyOf(step.state().stateful().keySet()));
            TrainTestSupport.RegressionSource source =
                    new TrainTestSupport.RegressionSource(2, 32, 4, 2);
            double first = 0;
            double last = 0;
            for (long s = 0; s < 80; s++) {
                try (NDManager scope = m.newSubManager()) {
                    var metrics = step.step(source.next(scope), s);
                    if (s < 5) {
                        first += metrics.get("loss") / 5;
                    }
                    if (s >= 75) {
                        last += metrics.get("loss") / 5;
                    }
                    assertEquals(Set.of("lr", "loss", "meanAbsError", "gradNorm"), metrics.keySet());
                    assertTrue(metrics.get("meanAbsError") > 0);
                }
            }
            assertTrue(last < 0.5 * first, first + " -> " + last);
            assertEquals(80, step.ema().updates());
            assertEquals(80, step.optimizer().updates());
        }
    }

    @Test
    void requiresObjectiveAndOptimizerAndAValidClipNorm() {
        assertThrows(IllegalStateException.class, () -> ObjectiveStep.builder().build());
        try (NDManager m = NDManager.newBaseManager()) {
            Objective sum = Objective.of(TrainTestSupport.mlp(m, 2, 2, 1, 1), (c, b) -> LossTerms.of(b.head().sum()));
            OptimizerFactory adam = Adam.factory(LearningRateSchedule.constant(1e-3), AdamConfig.defaults());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ObjectiveStep.builder()
                    .setObjective(sum).setOptimizer(adam).optClipNorm(-1).build());
            assertTrue(e.getMessage().contains("clipNorm"), e.getMessage());
        }
    }
}
