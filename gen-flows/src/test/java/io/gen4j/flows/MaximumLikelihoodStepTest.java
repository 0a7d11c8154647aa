package io.gen4j.flows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.toy.Moons;
import io.gen4j.core.data.toy.Toy2dBatches;
import io.gen4j.core.train.Adam;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.FitResult;
import io.gen4j.core.train.LearningRateSchedule;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaximumLikelihoodStepTest {

    @Test
    void fitLowersTheNllAndTheStateNamesTheFlowAndItsOptimizer() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NormalizingFlow flow = RealNvp.vector(new RealNvp.VectorConfig(2, 4, 32, 2, true, true));
            flow.initialize(manager, DataType.FLOAT32, new Shape(128, 2));
            flow.initializeFromData(FlowTestKit.moons(manager, 512, new Random(1)));
            try (Adam adam = new Adam(LearningRateSchedule.constant(1e-2), AdamConfig.defaults(), flow)) {
                MaximumLikelihoodStep step = new MaximumLikelihoodStep(flow, adam, 10);
                assertEquals(java.util.Set.of("flow"), step.state().blocks().keySet());
                assertEquals(java.util.Set.of("optimizer"), step.state().stateful().keySet());
                Toy2dBatches source = new Toy2dBatches(Moons.defaults(), 128, 3);
                double first = step.step(source.next(manager), 0).get("nll");
                FitResult r = Fit.builder().setStep(step).setSource(source).setManager(manager)
                        .optStartStep(1).optTotalSteps(80).optSeed(4).build().run();
                double last = r.lastMetrics().get("nll");
                assertTrue(last < first - 0.3, "nll " + first + " -> " + last);
                assertTrue(r.lastMetrics().containsKey("gradNorm") && r.lastMetrics().containsKey("lr"));
            }
        }
    }
}
