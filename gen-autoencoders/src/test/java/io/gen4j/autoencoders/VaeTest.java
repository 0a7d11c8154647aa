package io.gen4j.autoencoders;

import io.gen4j.core.train.LossTerms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VaeTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager(ai.djl.Device.cpu());
        Engine.getInstance().setRandomSeed(13);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private static Vae mlpVae(VaeConfig config) {
        return new Vae(Networks.mlpEncoder(2 * config.latentDim(), 32), Networks.mlpDecoder(ToyData.IMAGE, 32),
                config, ToyData.IMAGE);
    }

    private static Vae convVae(VaeConfig config) {
        return new Vae(Networks.convEncoder(2 * config.latentDim(), 16), Networks.convDecoder(ToyData.IMAGE, 16),
                config, ToyData.IMAGE);
    }

    private Map<String, Double> train(Vae vae, NDArray data, int steps, float lr) {
        vae.initialize(manager, DataType.FLOAT32, new Shape(32, 1, 8, 8));
        TinyTrainer trainer = new TinyTrainer(vae, manager, lr);
        return trainer.run((ps, scope, step) -> {
            NDArray batch = data.get((step * 32 % 256) + ":" + (step * 32 % 256 + 32));
            batch.attach(scope);
            return vae.loss(ps, batch, step, true);
        }, steps);
    }

    private CollapseDiagnostics diagnose(Vae vae, NDArray data) {
        Posterior q = vae.posterior(new ParameterStore(manager, false), data, false);
        return CollapseDiagnostics.compute(q.mu(), q.logVar(), 0.01);
    }

    @Test
    void shapesAndContracts() {
        Vae vae = convVae(VaeConfig.defaults(4));
        vae.initialize(manager, DataType.FLOAT32, new Shape(3, 1, 8, 8));
        NDArray x = manager.randomUniform(0, 1, new Shape(3, 1, 8, 8));
        assertEquals(new Shape(3, 4), vae.encode(x).getShape());
        assertEquals(new Shape(4), vae.latentShape());
        assertEquals(new Shape(3, 1, 8, 8), vae.decode(vae.encode(x)).getShape());
        assertEquals(new Shape(5, 1, 8, 8), vae.sample(manager, 5).getShape());
        assertEquals(new Shape(3), vae.logLikelihood(x).getShape());
        assertFalse(vae.isExact());
        NDList out = vae.forward(new ParameterStore(manager, false), new NDList(x), false);
        Shape[] expected = vae.getOutputShapes(new Shape[] {x.getShape()});
        for (int i = 0; i < 3; i++) {
            assertEquals(expected[i], out.get(i).getShape());
        }
        assertThrows(IllegalArgumentException.class, () -> new Vae(Networks.mlpEncoder(5), Networks.mlpDecoder(ToyData.IMAGE),
                VaeConfig.defaults(4), ToyData.IMAGE).initialize(manager, DataType.FLOAT32, new Shape(1, 1, 8, 8)));
    }

    @Test
    void lossGradientsMatchFiniteDifferencesWithFixedNoise() {
        for (DecoderLikelihood likelihood : DecoderLikelihood.values()) {
            Vae vae = mlpVae(VaeConfig.defaults(2).withLikelihood(likelihood, 0.7)
                    .withKl(new KlSchedule(1.5, 10, 0)));
            NDArray x = manager.randomUniform(0, 1, new Shape(3, 1, 8, 8), DataType.FLOAT64);
            vae.initialize(manager, DataType.FLOAT64, x.getShape());
            ParameterStore ps = new ParameterStore(manager, false);
            List<NDArray> tensors = new java.util.ArrayList<>();
            List<String> names = new java.util.ArrayList<>();
            vae.getParameters().forEach(p -> {
                tensors.add(p.getValue().getArray());
                names.add(p.getKey());
            });
            GradientCheck.Result r = GradientCheck.check(manager, v -> {
                // The same ε on every evaluation: the loss is then a deterministic function.
                Engine.getInstance().setRandomSeed(1);
                return vae.loss(ps, x, 4, true).total();
            }, tensors, names, 6, 3);
            // 1e-4: the loss is ~40 nats, so central differences with h = 1e-6 carry ~1e-9 absolute
            // round-off, which is 1e-5 relative on the smallest (1e-4) weight gradients.
            assertTrue(r.worstRelativeError() < 1e-4, likelihood + ": " + r);
        }
    }

    @Test
    void trainingImprovesTheElboAndTheIwaeBoundIsTighter() {
        NDArray data = ToyData.bars(manager, 256, 1)[0];
        Vae vae = mlpVae(VaeConfig.defaults(4));
        Map<String, Double> m = train(vae, data, 250, 1e-2f);
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray test = ToyData.bars(manager, 128, 2)[0];
        double elbo = vae.elbo(ps, test).mean().getFloat();
        double iwae = vae.importanceWeightedBound(ps, test, 50).mean().getFloat();
        // The untrained model sits near 64·log 2 ≈ 44 nats; 80 distinct images ≈ 4.4 nats of entropy.
        assertTrue(-elbo < 25, "−ELBO " + -elbo + " after training, metrics " + m);
        assertTrue(iwae >= elbo, "IWAE " + iwae + " < ELBO " + elbo);
        assertTrue(diagnose(vae, test).activeUnits() >= 2, diagnose(vae, test).toString());
    }

    @Test
    void largeBetaCollapsesAndFreeBitsKeepUnitsActive() {
        NDArray data = ToyData.bars(manager, 256, 3)[0];
        Engine.getInstance().setRandomSeed(31);
        Vae collapsed = mlpVae(VaeConfig.defaults(4).withKl(new KlSchedule(20, 0, 0)));
        train(collapsed, data, 200, 1e-2f);
        Engine.getInstance().setRandomSeed(31);
        Vae fixed = mlpVae(VaeConfig.defaults(4).withKl(new KlSchedule(20, 0, 1.0)));
        train(fixed, data, 200, 1e-2f);
        CollapseDiagnostics c = diagnose(collapsed, data);
        CollapseDiagnostics f = diagnose(fixed, data);
        assertEquals(0, c.activeUnits(), "β = 20 should collapse every unit: " + c);
        assertTrue(c.totalKl() < 0.2, c.toString());
        assertTrue(f.activeUnits() >= 2, "free bits should keep units active: " + f);
        assertTrue(f.totalKl() > 2, f.toString());
    }

    @Test
    void learnedGaussianDecoderLearnsItsSigma() {
        NDArray data = ToyData.bars(manager, 256, 4)[0];
        Vae vae = mlpVae(VaeConfig.defaults(4).withLikelihood(DecoderLikelihood.GAUSSIAN_LEARNED, 1.0));
        Map<String, Double> m = train(vae, data, 150, 1e-2f);
        assertTrue(m.get("sigma") < 0.6, "σ should shrink from 1 towards the residual scale: " + m);
    }

    @Test
    void collapseDiagnosticsOnAHandExample() {
        NDArray mu = manager.create(new float[] {1, 0, -1, 0, 0.001f, 0, -0.001f, 0}).reshape(4, 2);
        NDArray logVar = manager.zeros(new Shape(4, 2));
        CollapseDiagnostics d = CollapseDiagnostics.compute(mu, logVar, 0.01);
        assertEquals(1, d.activeUnits());
        assertEquals(0.5 * (1 + 1 + 1e-6 + 1e-6) / 4, d.klPerDimension()[0], 1e-6);
        assertEquals(0.0, d.klPerDimension()[1], 1e-9);
        assertEquals((1 + 1 + 2e-6) / 3, d.activity()[0], 1e-5);
    }

    @Test
    void saveLoadDeterminismAndNoLeaks() {
        BlockChecks.assertSaveLoadRoundTrip(manager,
                () -> convVae(VaeConfig.defaults(3).withLikelihood(DecoderLikelihood.GAUSSIAN_LEARNED, 0.5)),
                new NDList(manager.randomUniform(0, 1, new Shape(2, 1, 8, 8))));
        NDArray data = ToyData.bars(manager, 256, 5)[0];
        Engine.getInstance().setRandomSeed(77);
        double a = train(mlpVae(VaeConfig.defaults(3)), data, 5, 1e-3f).get("loss");
        Engine.getInstance().setRandomSeed(77);
        double b = train(mlpVae(VaeConfig.defaults(3)), data, 5, 1e-3f).get("loss");
        assertEquals(a, b, 0.0);

        Vae vae = convVae(VaeConfig.defaults(3).withLikelihood(DecoderLikelihood.GAUSSIAN_LEARNED, 0.5));
        train(vae, data, 1, 1e-3f);
        TinyTrainer trainer = new TinyTrainer(vae, manager, 1e-3f);
        TinyTrainer.Objective objective = (ps, scope, step) -> {
            NDArray batch = data.get("0:16");
            batch.attach(scope);
            LossTerms t = vae.loss(ps, batch, step, true);
            vae.importanceWeightedBound(ps, batch, 3);
            return t;
        };
        trainer.run(objective, 1);
        int before = BlockChecks.countManagedArrays(manager);
        trainer.run(objective, 4);
        assertEquals(before, BlockChecks.countManagedArrays(manager), "managed arrays grew");
    }
}
