package io.gen4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import io.gen4j.core.testing.TrainingChecks;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The multi-player step: plans, gradient hygiene, prepare outside autograd, exact resume. */
class MultiPlayerStepTest {

    private static final long SEED = 17;

    @TempDir
    Path dir;

    /** A state a checkpoint must carry: counts prepare calls (like a replay buffer's fill). */
    static final class Counter implements Stateful {
        long count;

        @Override
        public void saveState(DataOutputStream out) throws IOException {
            out.writeLong(count);
        }

        @Override
        public void loadState(DataInputStream in) throws IOException {
            count = in.readLong();
        }
    }

    /** A GAN with n_critic = 3 (the generator every third step), TTUR, generator EMA and a counter. */
    private static final class Run implements AutoCloseable {
        final NDManager manager = NDManager.newBaseManager();
        final Block g = TrainTestSupport.mlp(manager, 2, 8, 2, 31);
        final Block d = TrainTestSupport.mlp(manager, 2, 8, 1, 32);
        final Counter counter = new Counter();
        final GanToyTest.GaussianSource source = new GanToyTest.GaussianSource();
        final MultiPlayerStep step;

        Run() {
            AdamConfig betas = AdamConfig.defaults().withBetas(0.0, 0.9);
            Objective critic = GanToyTest.discriminatorLoss(g, d);
            Objective counted = new Objective() {
                @Override
                public Block network() {
                    return critic.network();
                }

                @Override
                public NDList prepare(StepContext context, NDList batch) {
                    counter.count++;
                    return batch;
                }

                @Override
                public LossTerms loss(StepContext context, NDList batch) {
                    return critic.loss(context, batch);
                }
            };
            step = MultiPlayerStep.builder()
                    .addPlayer(Player.builder("critic", counted).setOptimizer(Adam.factory(
                            LearningRateSchedule.cosine(4e-3, 4e-4, 3, 40), betas)).optClipNorm(5).build())
                    .addPlayer(Player.builder("generator", GanToyTest.generatorLoss(g, d))
                            .setOptimizer(Adam.factory(LearningRateSchedule.constant(1e-3), betas))
                            .optEma(new EmaConfig(0.9, true)).optPlan(UpdatePlan.every(3, 2)).build())
                    .addState("counter", counter)
                    .build();
        }

        Fit.Builder fit(long start, long total) {
            return Fit.builder().setStep(step).setSource(source).setManager(manager)
                    .optStartStep(start).optTotalSteps(total).optSeed(SEED);
        }

        /** @return this run as the resume kit's fixture (closing it closes the manager) */
        TrainingChecks.Setup setup() {
            return TrainingChecks.Setup.of(step, source, manager);
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    @Test
    void playersUpdateByTheirPlanAndReportPrefixedMetrics() {
        TrainTestSupport.withOneThread(() -> {
            try (Run run = new Run()) {
                List<Map<String, Double>> rows = new ArrayList<>();
                run.fit(0, 9).addListener(new FitListener() {
                    @Override
                    public void onStepEnd(StepEnd e) {
                        rows.add(e.metrics());
                    }
                }).build().run();
                for (int s = 0; s < 9; s++) {
                    assertTrue(rows.get(s).containsKey("critic.loss"), "step " + s);
                    assertTrue(rows.get(s).containsKey("critic.gradNorm"), "step " + s);
                    assertEquals(s % 3 == 2, rows.get(s).containsKey("generator.loss"), "step " + s);
                }
                assertEquals(9, run.step.optimizer("critic").updates());
                assertEquals(3, run.step.optimizer("generator").updates());
                assertEquals(3, run.step.ema("generator").updates());
                assertEquals(9, run.counter.count);
                assertEquals(List.of("critic", "generator"), List.copyOf(run.step.state().blocks().keySet()));
                assertEquals(List.of("critic.optimizer", "generator.optimizer", "generator.ema", "counter"),
                        List.copyOf(run.step.state().stateful().keySet()));
            }
        });
    }

    @Test
    void everyPlayerStartsItsPassWithZeroGradients() {
        TrainTestSupport.withOneThread(() -> {
            try (Run run = new Run()) {
                run.fit(0, 3).build().run(); // step 2 ends with the generator's pass through the critic
                for (Block b : List.of(run.g, run.d)) {
                    for (Pair<String, Parameter> p : b.getParameters()) {
                        NDArray grad = p.getValue().getArray().getGradient();
                        assertEquals(0f, grad.abs().sum().getFloat(), p.getKey());
                        grad.close();
                    }
                }
            }
        });
    }

    @Test
    void aPassSeesTheOtherPlayersParametersDetached() {
        TrainTestSupport.withOneThread(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                Block g = TrainTestSupport.mlp(m, 2, 8, 2, 31);
                Block d = TrainTestSupport.mlp(m, 2, 8, 1, 32);
                List<String> seen = new ArrayList<>();
                Objective generator = Objective.of(g, (ctx, batch) -> {
                    for (Block b : List.of(g, d)) {
                        for (Pair<String, Parameter> p : b.getParameters()) {
                            NDArray handed = ctx.parameters().getValue(p.getValue(), batch.head().getDevice(), true);
                            assertEquals(b == g, handed.hasGradient(), p.getKey());
                            // the same values (the same memory: a detached view)
                            org.junit.jupiter.api.Assertions.assertArrayEquals(p.getValue().getArray().toFloatArray(),
                                    handed.toFloatArray(), p.getKey());
                            seen.add(p.getKey());
                        }
                    }
                    return GanToyTest.generatorLoss(g, d).loss(ctx, batch);
                });
                AdamConfig betas = AdamConfig.defaults().withBetas(0.5, 0.999);
                MultiPlayerStep step = MultiPlayerStep.builder()
                        .addPlayer(Player.builder("discriminator", GanToyTest.discriminatorLoss(g, d))
                                .setOptimizer(Adam.factory(LearningRateSchedule.constant(2e-3), betas))
                                .optPlan(UpdatePlan.every(2, 1)).build())
                        .addPlayer(Player.builder("generator", generator)
                                .setOptimizer(Adam.factory(LearningRateSchedule.constant(2e-3), betas)).build())
                        .build();
                GanToyTest.GaussianSource source = new GanToyTest.GaussianSource();
                try (NDManager scope = m.newSubManager()) {
                    step.step(source.next(scope), 0); // the first update makes the optimizers' state
                }
                int arrays = m.getManagedArrays().size();
                for (int s = 1; s < 4; s++) {
                    try (NDManager scope = m.newSubManager()) {
                        step.step(source.next(scope), s);
                    }
                }
                assertEquals(4 * (g.getParameters().size() + d.getParameters().size()), seen.size());
                // the detached views lived in the step's scope, not in the parameters' manager
                assertEquals(arrays, m.getManagedArrays().size(), "managed arrays grew");
            }
        });
    }

    @Test
    void theGeneratorsUpdateIsTheOneWithTheDiscriminatorAttached() {
        // the generator's gradient reaches it through D's operations whether or not D's parameters require a
        // gradient: its update must be the one a single-player step (nothing detached) makes from the same state
        TrainTestSupport.withOneThread(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                float[][] after = new float[2][];
                for (int variant = 0; variant < 2; variant++) {
                    Block g = TrainTestSupport.mlp(m, 2, 8, 2, 31);
                    Block d = TrainTestSupport.mlp(m, 2, 8, 1, 32);
                    AdamConfig betas = AdamConfig.defaults().withBetas(0.5, 0.999);
                    Player generator = Player.builder("generator", GanToyTest.generatorLoss(g, d))
                            .setOptimizer(Adam.factory(LearningRateSchedule.constant(2e-3), betas)).build();
                    TrainingStep step = variant == 0 ? new ObjectiveStep(generator)
                            : MultiPlayerStep.builder()
                                    .addPlayer(Player.builder("discriminator", GanToyTest.discriminatorLoss(g, d))
                                            .setOptimizer(Adam.factory(LearningRateSchedule.constant(2e-3), betas))
                                            .optPlan(UpdatePlan.every(2, 1)).build())
                                    .addPlayer(generator).build();
                    try (NDManager scope = m.newSubManager()) {
                        NDList batch = new GanToyTest.GaussianSource().next(scope);
                        Engine.getInstance().setRandomSeed(5); // the same z in both
                        step.step(batch, 0);
                    }
                    List<Float> values = new ArrayList<>();
                    for (Pair<String, Parameter> p : g.getParameters()) {
                        for (float v : p.getValue().getArray().toFloatArray()) {
                            values.add(v);
                        }
                    }
                    after[variant] = new float[values.size()];
                    for (int i = 0; i < values.size(); i++) {
                        after[variant][i] = values.get(i);
                    }
                }
                assertEquals(after[0].length, after[1].length);
                for (int i = 0; i < after[0].length; i++) {
                    assertEquals(after[0][i], after[1][i], 1e-6f * Math.max(1f, Math.abs(after[0][i])), "parameter value " + i);
                }
            }
        });
    }

    @Test
    void prepareRunsOutsideTheAutogradPass() {
        TrainTestSupport.withOneThread(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                Block net = TrainTestSupport.mlp(m, 4, 8, 2, 3);
                boolean[] opened = new boolean[1];
                Objective withOwnGradients = new Objective() {
                    @Override
                    public Block network() {
                        return net;
                    }

                    @Override
                    public NDList prepare(StepContext context, NDList batch) {
                        // Langevin-style: a collector of its own, which throws if one is open.
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            NDArray x = batch.get(0).duplicate();
                            x.setRequiresGradient(true);
                            gc.backward(x.square().sum());
                            opened[0] = true;
                            return new NDList(x.getGradient().mul(-0.5f).add(batch.get(0)), batch.get(1));
                        }
                    }

                    @Override
                    public LossTerms loss(StepContext context, NDList batch) {
                        return LossTerms.of(net.forward(context.parameters(), new NDList(batch.get(0)), true)
                                .singletonOrThrow().sub(batch.get(1)).square().mean());
                    }
                };
                MultiPlayerStep step = MultiPlayerStep.builder().addPlayer(Player.builder("net", withOwnGradients)
                        .setOptimizer(Adam.factory(LearningRateSchedule.constant(1e-3), AdamConfig.defaults()))
                        .build()).build();
                try (NDManager scope = m.newSubManager()) {
                    step.step(new TrainTestSupport.RegressionSource(1, 8, 4, 2).next(scope), 0);
                }
                assertTrue(opened[0]);
            }
        });
    }

    @Test
    void resumedRunEqualsUninterruptedRunBitExactly() {
        // stop after 10 steps: the generator has updated 3 times, its EMA and the critic's schedule are
        // mid-way; every parameter, both optimizers' moments, the EMA and the counter must match
        TrainingChecks.assertResumeIsBitExact(() -> new Run().setup(), SEED, 20, 10, dir);
    }

    @Test
    void memoryStaysFlat() {
        TrainTestSupport.withOneThread(() -> {
            try (Run run = new Run()) {
                run.fit(0, 6).build().run();
                int arrays = run.manager.getManagedArrays().size();
                run.fit(6, 60).build().run();
                assertEquals(arrays, run.manager.getManagedArrays().size(), "managed arrays grew");
            }
        });
    }

    @Test
    void rejectsBadConfigurations() {
        assertThrows(IllegalStateException.class, () -> MultiPlayerStep.builder().build());
        assertThrows(IllegalArgumentException.class, () -> UpdatePlan.every(3, 3));
        assertThrows(IllegalArgumentException.class, () -> UpdatePlan.every(0, 0));
        assertFalse(UpdatePlan.every(5, 4).updatesAt(3));
        assertTrue(UpdatePlan.every(5, 4).updatesAt(9));
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = TrainTestSupport.mlp(m, 2, 4, 1, 1);
            Objective o = Objective.of(net, (ctx, b) -> LossTerms.of(b.head().sum()));
            OptimizerFactory adam = Adam.factory(LearningRateSchedule.constant(1e-3), AdamConfig.defaults());
            assertThrows(IllegalArgumentException.class, () -> Player.builder("bad name", o).setOptimizer(adam).build());
            assertThrows(IllegalStateException.class, () -> Player.builder("p", o).build());
            assertThrows(IllegalArgumentException.class, () -> MultiPlayerStep.builder()
                    .addPlayer(Player.builder("a", o).setOptimizer(adam).build())
                    .addPlayer(Player.builder("b", o).setOptimizer(adam).build()).build());
        }
    }
}
