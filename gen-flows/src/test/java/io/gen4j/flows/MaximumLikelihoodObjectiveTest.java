package io.gen4j.flows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.data.toy.Moons;
import io.gen4j.core.data.toy.Toy2dBatches;
import io.gen4j.core.train.Adam;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.EmaConfig;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.FitResult;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.LossTerms;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.StepContext;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MaximumLikelihoodObjectiveTest {

    @BeforeEach
    void seeded() {
        Engine.getInstance().setRandomSeed(951);
    }

    @Test
    void fitLowersTheNllWithClippingAndEma() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NormalizingFlow flow = RealNvp.vector(new RealNvp.VectorConfig(2, 4, 32, 2, true, true));
            flow.initialize(manager, DataType.FLOAT32, new Shape(128, 2));
            flow.initializeFromData(FlowTestKit.moons(manager, 512, new Random(1)));
            ObjectiveStep step = ObjectiveStep.builder().setObjective(new MaximumLikelihoodObjective(flow))
                    .setOptimizer(Adam.factory(LearningRateSchedule.constant(1e-2), AdamConfig.defaults()))
                    .optName("flow").optClipNorm(10).optEma(EmaConfig.defaults()).build();
            assertEquals(Set.of("flow"), step.state().blocks().keySet());
            assertEquals(Set.of("optimizer", "ema"), step.state().stateful().keySet());
            Toy2dBatches source = new Toy2dBatches(Moons.defaults(), 128, 3);
            double first = step.step(source.next(manager), 0).get("loss");
            FitResult r = Fit.builder().setStep(step).setSource(source).setManager(manager)
                    .optStartStep(1).optTotalSteps(80).optSeed(4).build().run();
            double last = r.lastMetrics().get("loss");
            assertTrue(last < first - 0.3, "nll " + first + " -> " + last);
            assertEquals(Set.of("loss", "lr", "gradNorm"), r.lastMetrics().keySet());
        }
    }

    @Test
    void imageBatchesReportBitsPerDimOfTheSameNll() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NormalizingFlow flow = RealNvp.image(new RealNvp.ImageConfig(1, 4, 4, 1, 1, 8, 1, 4, 1e-6));
            flow.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 4, 4));
            NDArray x = manager.randomUniform(0f, 1f, new Shape(2, 1, 4, 4));
            flow.initializeFromData(x);
            LossTerms terms = new MaximumLikelihoodObjective(flow).loss(
                    new StepContext(new ParameterStore(manager, false), 0, false), new NDList(x));
            double nll = terms.metrics().get("loss");
            // bits/dim = NLL / (D ln 2) with D = 16, computed independently here
            assertEquals(nll / (16 * Math.log(2)), terms.metrics().get("bitsPerDim"), 1e-4 * Math.abs(nll));
        }
    }
}
