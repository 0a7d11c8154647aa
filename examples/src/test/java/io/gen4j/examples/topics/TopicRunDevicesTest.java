package io.gen4j.examples.topics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gen4j.core.train.Adam;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.DataParallel;
import io.gen4j.core.train.FitListener;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.LossTerms;
import io.gen4j.core.train.MultiPlayerStep;
import io.gen4j.core.train.Objective;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.Player;
import io.gen4j.core.train.TrainTestSupport;
import io.gen4j.core.train.TrainingStep;
import io.gen4j.gans.GanModel;
import io.gen4j.gans.GanSpec;
import io.gen4j.gans.GanTraining;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TopicOptions#devices()} in a run: recorded in config.json, every {@link ObjectiveStep} of
 * {@link TopicRun#fit} split over the devices, other steps refused by name. The objective is
 * deterministic (no noise), so a data-parallel run must follow the full-batch run: the
 * nᵢ/n-weighted slice gradients sum to the full batch's gradient (gen-core DataParallelTest proves
 * the single step; here 8 Adam steps through the topic's own training loop).
 */
class TopicRunDevicesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void objectiveStepsTrainOnTheRunsDevicesAndFollowTheFullBatchRun() throws Exception {
        Result full = train(List.of(), "full");
        Result one = train(DataParallel.parse("cpu"), "one");
        Result two = train(DataParallel.parse("cpu,cpu"), "two");
        Result three = train(DataParallel.parse("cpu:0,cpu:1,cpu:2"), "three");
        assertEquals(8, full.losses().size());
        for (Result r : List.of(one, two, three)) {
            assertEquals(full.losses().size(), r.losses().size());
            for (int i = 0; i < full.losses().size(); i++) {
                assertEquals(full.losses().get(i), r.losses().get(i), 1e-5, r.devices() + " step " + i);
            }
            assertArrayEquals(full.parameters(), r.parameters(), 1e-5f, r.devices().toString());
        }
        assertFalse(JSON.readTree(full.config()).has("devices"), full.config());
        assertEquals("cpu,cpu", JSON.readTree(two.config()).path("devices").asText());
        assertEquals("cpu,cpu,cpu", JSON.readTree(three.config()).path("devices").asText());
    }

    @Test
    void aGanOrAnotherMultiPlayerStepIsRefusedByName() throws Exception {
        TopicOptions options = TopicOptions.of(Profile.SMOKE, tmp.resolve("gan"), 1, java.util.Optional.empty())
                .withDevices(DataParallel.parse("cpu,cpu"));
        TopicRun run = TopicRun.open(options, "devices-test", Map.of("steps", 1));
        try (NDManager m = NDManager.newBaseManager()) {
            GanTraining.Step gan = GanTraining.builder(GanModel.create(GanSpec.mlp(2, 8, 1, 2), m)).build();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run.fit("gan", gan,
                    new TrainTestSupport.RegressionSource(1, 8, 2, 2), m, 2, 1, tmp.resolve("gan.csv"), List.of()));
            assertTrue(e.getMessage().startsWith("--devices cpu,cpu: training 'gan' is a GAN (gen-gans "
                    + "GanTraining.Step"), e.getMessage());
            assertTrue(e.getMessage().contains("Run it without --devices"), e.getMessage());

            Block net = TrainTestSupport.mlp(m, 2, 4, 2, 1);
            MultiPlayerStep players = MultiPlayerStep.builder().addPlayer(Player.builder("a", mse(net))
                    .setOptimizer(Adam.factory(LearningRateSchedule.constant(1e-2), AdamConfig.defaults())).build())
                    .build();
            e = assertThrows(IllegalArgumentException.class, () -> run.fit("pair", players,
                    new TrainTestSupport.RegressionSource(1, 8, 2, 2), m, 2, 1, tmp.resolve("pair.csv"), List.of()));
            assertTrue(e.getMessage().contains("training 'pair' is a multi-player training (gen-core MultiPlayerStep"),
                    e.getMessage());
        }
        assertFalse(Files.exists(tmp.resolve("gan.csv")), "refused before the training started");
    }

    private record Result(List<Device> devices, List<Double> losses, float[] parameters, String config) {}

    /** 8 Adam steps of an MLP regression (batches of 12) through {@link TopicRun#fit} on these devices. */
    private Result train(List<Device> devices, String folder) throws Exception {
        TopicOptions options = TopicOptions.of(Profile.SMOKE, tmp.resolve(folder), 4, java.util.Optional.empty())
                .withDevices(devices);
        TopicRun run = TopicRun.open(options, "devices-test", Map.of("steps", 8));
        List<Double> losses = new ArrayList<>();
        FitListener record = new FitListener() {
            @Override
            public void onStepEnd(io.gen4j.core.train.StepEnd e) {
                losses.add(e.metrics().get("loss"));
            }
        };
        try (NDManager m = NDManager.newBaseManager()) {
            Block net = TrainTestSupport.mlp(m, 3, 16, 2, 7);
            ObjectiveStep step = ObjectiveStep.builder().setObjective(mse(net))
                    .setOptimizer(Adam.factory(LearningRateSchedule.constant(1e-2), AdamConfig.defaults())).build();
            TrainingStep given = step;
            run.fit("mlp", given, new TrainTestSupport.RegressionSource(9, 12, 3, 2), m, 8, 4,
                    run.directory().root().resolve("mlp.csv"), List.of(record), new FitListener() { });
            return new Result(devices, losses, TrainTestSupport.values(net), run.directory().readConfig());
        }
    }

    /** Mean squared error of the network's output against y: deterministic, a mean over the batch. */
    private static Objective mse(Block net) {
        return Objective.of(net, (ctx, b) -> {
            NDArray out = net.forward(ctx.parameters(), new NDList(b.get(0)), true).singletonOrThrow();
            return LossTerms.of(out.sub(b.get(1)).square().mean());
        });
    }
}
