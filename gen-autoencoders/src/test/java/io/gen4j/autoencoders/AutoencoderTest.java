package io.gen4j.autoencoders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.nn.Activation;
import io.gen4j.core.testing.BlockChecks;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AutoencoderTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager(ai.djl.Device.cpu());
        Engine.getInstance().setRandomSeed(7);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private static Autoencoder mlp(Corruption corruption) {
        return Autoencoder.builder()
                .setEncoder(Networks.mlpEncoder(8, 32))
                .setDecoder(Networks.mlpDecoder(ToyData.IMAGE, 32))
                .setDataShape(ToyData.IMAGE)
                .setCodeSize(8)
                .optCorruption(corruption)
                .build();
    }

    private static Autoencoder conv() {
        return Autoencoder.builder()
                .setEncoder(Networks.convEncoder(8, 16))
                .setDecoder(Networks.convDecoder(ToyData.IMAGE, 16))
                .setDataShape(ToyData.IMAGE)
                .setCodeSize(8)
                .build();
    }

    private Map<String, Double> train(Autoencoder ae, NDArray data, int steps) {
        ae.initialize(manager, DataType.FLOAT32, new Shape(32, 1, 8, 8));
        TinyTrainer trainer = new TinyTrainer(ae, manager, 1e-2f);
        return trainer.run((ps, scope, step) -> {
            NDArray batch = data.get((step * 32 % 256) + ":" + (step * 32 % 256 + 32));
            batch.attach(scope);
            return ae.loss(ps, batch, true);
        }, steps);
    }

    @Test
    void shapesOfMlpAndConvAutoencoders() {
        for (Autoencoder ae : new Autoencoder[] {mlp(Corruption.none()), conv()}) {
            ae.initialize(manager, DataType.FLOAT32, new Shape(3, 1, 8, 8));
            NDArray x = manager.randomUniform(0, 1, new Shape(3, 1, 8, 8));
            assertEquals(new Shape(3, 8), ae.encode(x).getShape());
            assertEquals(new Shape(3, 1, 8, 8), ae.reconstruct(x).getShape());
            assertEquals(new Shape(8), ae.latentShape());
            Shape[] out = ae.getOutputShapes(new Shape[] {new Shape(3, 1, 8, 8)});
            assertEquals(new Shape(3, 1, 8, 8), out[0]);
            float[] r = ae.reconstruct(x).toFloatArray();
            for (float v : r) {
                assertTrue(v > 0 && v < 1, "BCE reconstructions are probabilities");
            }
        }
    }

    @Test
    void plainAndConvolutionalAutoencodersLearnBars() {
        NDArray data = ToyData.bars(manager, 256, 1)[0];
        double start = ReconstructionLoss.BCE_WITH_LOGITS.perExample(manager.zeros(new Shape(1, 1, 8, 8)),
                data.get("0:1")).getFloat(0);
        Map<String, Double> mlpMetrics = train(mlp(Corruption.none()), data, 200);
        Map<String, Double> convMetrics = train(conv(), data, 40);
        // A constant 0.5 output costs 64·log 2 ≈ 44 nats; a learned code should do far better.
        assertTrue(mlpMetrics.get("reconstruction") < start / 4, "MLP AE: " + mlpMetrics);
        assertTrue(convMetrics.get("reconstruction") < start * 0.6, "conv AE: " + convMetrics);
    }

    @Test
    void denoisingAutoencoderRemovesNoise() {
        NDArray data = ToyData.bars(manager, 256, 2)[0];
        Autoencoder ae = mlp(Corruption.SaltAndPepper.unit(0.1));
        train(ae, data, 300);
        Engine.getInstance().setRandomSeed(8);
        NDArray clean = data.get("0:64");
        NDArray noisy = Corruption.SaltAndPepper.unit(0.1).apply(clean);
        double noisyError = noisy.sub(clean).abs().mean().getFloat();
        double denoisedError = ae.reconstruct(noisy).sub(clean).abs().mean().getFloat();
        assertTrue(denoisedError < noisyError * 0.8,
                "denoised error " + denoisedError + " not below noisy error " + noisyError);
    }

    @Test
    void sparseAutoencoderWithKlPenaltyHitsTheTargetRate() {
        NDArray data = ToyData.bars(manager, 256, 3)[0];
        Autoencoder ae = Autoencoder.builder()
                .setEncoder(Networks.mlpEncoder(16, 32))
                .setDecoder(Networks.mlpDecoder(ToyData.IMAGE, 32))
                .setDataShape(ToyData.IMAGE)
                .setCodeSize(16)
                .optCodeActivation(Activation.SIGMOID)
                .optSparsity(new SparsityPenalty.KlDivergence(0.1, 3.0))
                .build();
        Map<String, Double> m = train(ae, data, 200);
        double meanActivation = ae.encode(data.get("0:128")).mean().getFloat();
        assertEquals(0.1, meanActivation, 0.05, "mean activation; metrics " + m);
        assertThrows(IllegalArgumentException.class, () -> Autoencoder.builder()
                .setEncoder(Networks.mlpEncoder(4)).setDecoder(Networks.mlpDecoder(ToyData.IMAGE))
                .setDataShape(ToyData.IMAGE).setCodeSize(4)
                .optSparsity(new SparsityPenalty.KlDivergence(0.1, 1)).build());
    }

    @Test
    void corruptionsHaveTheirStatistics() {
        NDArray x = manager.ones(new Shape(200, 50)).mul(0.5f);
        double masked = new Corruption.Masking(0.3).apply(x).eq(0).toType(DataType.FLOAT32, false).mean().getFloat();
        assertEquals(0.3, masked, 0.02);
        NDArray sp = Corruption.SaltAndPepper.unit(0.2).apply(x);
        assertEquals(0.1, sp.eq(0).toType(DataType.FLOAT32, false).mean().getFloat(), 0.015);
        assertEquals(0.1, sp.eq(1).toType(DataType.FLOAT32, false).mean().getFloat(), 0.015);
        NDArray g = new Corruption.Gaussian(0.2).apply(x).sub(x);
        assertEquals(0.2, Math.sqrt(g.square().mean().getFloat()), 0.01);
        assertThrows(IllegalArgumentException.class, () -> new Corruption.Masking(1.0));
    }

    @Test
    void saveLoadAndSeededDeterminism() {
        BlockChecks.assertSaveLoadRoundTrip(manager, AutoencoderTest::conv,
                new NDList(manager.randomUniform(0, 1, new Shape(2, 1, 8, 8))));
        NDArray data = ToyData.bars(manager, 256, 4)[0];
        Engine.getInstance().setRandomSeed(99);
        double a = train(mlp(new Corruption.Gaussian(0.2)), data, 5).get("loss");
        Engine.getInstance().setRandomSeed(99);
        double b = train(mlp(new Corruption.Gaussian(0.2)), data, 5).get("loss");
        assertEquals(a, b, 0.0);
    }

    @Test
    void trainingDoesNotLeakArrays() {
        NDArray data = ToyData.bars(manager, 256, 5)[0];
        Autoencoder ae = conv();
        train(ae, data, 2);
        int before = BlockChecks.countManagedArrays(manager);
        TinyTrainer trainer = new TinyTrainer(ae, manager, 1e-3f);
        trainer.run((ps, scope, step) -> {
            NDArray batch = data.get("0:32");
            batch.attach(scope);
            return ae.loss(ps, batch, true);
        }, 1);
        int afterOne = BlockChecks.countManagedArrays(manager);
        trainer.run((ps, scope, step) -> {
            NDArray batch = data.get("0:32");
            batch.attach(scope);
            return ae.loss(ps, batch, true);
        }, 5);
        assertEquals(afterOne, BlockChecks.countManagedArrays(manager), "arrays grew (before: " + before + ")");
    }
}
