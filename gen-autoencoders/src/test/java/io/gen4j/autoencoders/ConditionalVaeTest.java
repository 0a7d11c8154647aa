package io.gen4j.autoencoders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.testing.BlockChecks;
import io.gen4j.core.testing.GradientCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConditionalVaeTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager(ai.djl.Device.cpu());
        Engine.getInstance().setRandomSeed(17);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private static ConditionalVae cvae(ConditionalPrior prior) {
        return new ConditionalVae(Networks.mlpEncoder(4, 32), Networks.mlpDecoder(ToyData.IMAGE, 32),
                VaeConfig.defaults(2), ToyData.IMAGE, ToyData.CLASSES, prior);
    }

    @Test
    void shapesAndSamplingAChosenClass() {
        ConditionalVae model = cvae(ConditionalPrior.LEARNED);
        model.initialize(manager, DataType.FLOAT32, new Shape(4, 1, 8, 8), new Shape(4));
        NDArray labels = manager.create(new long[] {0, 1, 2, 1});
        NDArray x = manager.randomUniform(0, 1, new Shape(4, 1, 8, 8));
        NDList out = model.forward(new ParameterStore(manager, false), new NDList(x, labels), false);
        assertEquals(new Shape(4, 1, 8, 8), out.get(0).getShape());
        assertEquals(new Shape(4, 2), out.get(1).getShape());
        assertEquals(new Shape(4, 1, 8, 8), model.sample(labels).getShape());
        // int32 labels (what ShuffledBatches serves) work too.
        assertEquals(new Shape(4, 1, 8, 8), model.sample(labels.toType(DataType.INT32, false)).getShape());
    }

    @Test
    void lossGradientsIncludingTheLearnedPrior() {
        ConditionalVae model = cvae(ConditionalPrior.LEARNED);
        NDArray x = manager.randomUniform(0, 1, new Shape(3, 1, 8, 8), DataType.FLOAT64);
        NDArray labels = manager.create(new long[] {0, 2, 1});
        model.initialize(manager, DataType.FLOAT64, x.getShape(), labels.getShape());
        ParameterStore ps = new ParameterStore(manager, false);
        List<NDArray> tensors = new ArrayList<>();
        List<String> names = new ArrayList<>();
        model.getParameters().forEach(p -> {
            tensors.add(p.getValue().getArray());
            names.add(p.getKey());
        });
        GradientCheck.Result r = GradientCheck.check(manager, v -> {
            Engine.getInstance().setRandomSeed(2);
            return model.loss(ps, x, labels, 0, true).total();
        }, tensors, names, 6, 4);
        assertTrue(r.worstRelativeError() < 1e-4, r.toString());
    }

    @Test
    void conditionalSamplesFollowTheirClass() {
        NDArray[] data = ToyData.bars(manager, 256, 9);
        ConditionalVae model = cvae(ConditionalPrior.LEARNED);
        model.initialize(manager, DataType.FLOAT32, new Shape(32, 1, 8, 8), new Shape(32));
        TinyTrainer trainer = new TinyTrainer(model, manager, 1e-2f);
        Map<String, Double> m = trainer.run((ps, scope, step) -> {
            String range = (step * 32 % 256) + ":" + (step * 32 % 256 + 32);
            NDArray x = data[0].get(range);
            NDArray y = data[1].get(range);
            x.attach(scope);
            y.attach(scope);
            return model.loss(ps, x, y, step, true);
        }, 300);
        assertTrue(m.get("negElbo") < 25, m.toString());
        // Class 0 has one horizontal bar: 8 lit pixels; class 2 a cross: 15. Expected lit pixels of
        // a sample = the sum of its Bernoulli means.
        NDArray zeros = manager.zeros(new Shape(64), DataType.INT64);
        NDArray twos = manager.full(new Shape(64), 2, DataType.INT64);
        double lit0 = model.sample(zeros).sum().getFloat() / 64;
        double lit2 = model.sample(twos).sum().getFloat() / 64;
        assertEquals(8, lit0, 2.5, "class 0 expected lit pixels");
        assertEquals(15, lit2, 3.5, "class 2 expected lit pixels");
    }

    @Test
    void standardPriorSaveLoad() {
        BlockChecks.assertSaveLoadRoundTrip(manager, () -> cvae(ConditionalPrior.LEARNED),
                new NDList(manager.randomUniform(0, 1, new Shape(2, 1, 8, 8)), manager.create(new long[] {1, 0})));
        ConditionalVae model = cvae(ConditionalPrior.STANDARD_NORMAL);
        model.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 8, 8), new Shape(2));
        Posterior p = model.prior(new ParameterStore(manager, false), manager.create(new long[] {1, 0}),
                DataType.FLOAT32, false);
        assertEquals(0.0, p.mu().abs().sum().getFloat());
        assertEquals(0.0, p.logVar().abs().sum().getFloat());
    }
}
