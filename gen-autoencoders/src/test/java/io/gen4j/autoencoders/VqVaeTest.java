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
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VqVaeTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager(ai.djl.Device.cpu());
        Engine.getInstance().setRandomSeed(19);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private static VqVae model(VectorQuantizerConfig config) {
        return new VqVae(Networks.convFeatureEncoder(config.codeDim(), 16), new VectorQuantizer(config),
                Networks.convFeatureDecoder(1, 16), ReconstructionLoss.BCE_WITH_LOGITS);
    }

    @Test
    void shapesAndLatentCodec() {
        VqVae vq = model(VectorQuantizerConfig.defaults(16, 8));
        vq.initialize(manager, DataType.FLOAT32, new Shape(3, 1, 8, 8));
        NDArray x = manager.randomUniform(0, 1, new Shape(3, 1, 8, 8));
        assertEquals(new Shape(8, 2, 2), vq.latentShape());
        assertEquals(new Shape(3, 8, 2, 2), vq.encode(x).getShape());
        assertEquals(new Shape(3, 2, 2), vq.encodeIndices(x).getShape());
        assertEquals(new Shape(3, 1, 8, 8), vq.decode(vq.encode(x)).getShape());
        float[] viaIndices = vq.decodeIndices(vq.encodeIndices(x)).toFloatArray();
        float[] viaCodes = vq.decode(vq.encode(x)).toFloatArray();
        for (int i = 0; i < viaCodes.length; i++) {
            assertEquals(viaCodes[i], viaIndices[i], 1e-5f);
        }
    }

    @Test
    void trainsWithEmaAndGradientCodebooksWithoutLeaks() {
        NDArray data = ToyData.bars(manager, 256, 6)[0];
        for (VectorQuantizerConfig config : new VectorQuantizerConfig[] {
            VectorQuantizerConfig.defaults(16, 8), VectorQuantizerConfig.gradient(16, 8)}) {
            VqVae vq = model(config);
            vq.initialize(manager, DataType.FLOAT32, new Shape(32, 1, 8, 8));
            TinyTrainer trainer = new TinyTrainer(vq, manager, 3e-3f);
            TinyTrainer.Objective objective = (ps, scope, step) -> {
                NDArray batch = data.get((step * 32 % 256) + ":" + (step * 32 % 256 + 32));
                batch.attach(scope);
                return vq.loss(ps, batch, true);
            };
            Map<String, Double> first = trainer.run(objective, 1);
            int before = BlockChecks.countManagedArrays(manager);
            Map<String, Double> last = trainer.run(objective, 60);
            assertEquals(before, BlockChecks.countManagedArrays(manager), "managed arrays grew");
            assertTrue(last.get("reconstruction") < first.get("reconstruction") * 0.75,
                    config.update() + ": " + first + " -> " + last);
            if (config.update() == CodebookUpdate.EMA) {
                // Dead-code restarts keep several codes in use; a gradient codebook initialised at
                // U(−1/K, 1/K) typically collapses to one or two codes here, which is why EMA is the default.
                assertTrue(last.get("perplexity") > 2, config.update() + " uses too few codes: " + last);
            }
        }
    }

    @Test
    void lossTermsArePerExampleSumsOnOneScale() {
        VqVae vq = model(VectorQuantizerConfig.gradient(16, 8));
        vq.initialize(manager, DataType.FLOAT32, new Shape(3, 1, 8, 8));
        NDArray x = ToyData.bars(manager, 3, 4)[0];
        ParameterStore ps = new ParameterStore(manager, false);
        Map<String, Double> terms = vq.loss(ps, x, false).metrics();
        NDArray ze = vq.encoder().forward(ps, new NDList(x), false).head();
        VectorQuantizer.Quantized q = vq.quantizer().quantize(ps, ze, false);
        NDArray zq = vq.quantizer().lookup(q.indices());
        double squared = ze.sub(zq).square().sum().getFloat() / 3; // Σ over the 8·2·2 latent elements
        NDArray out = vq.decoder().forward(ps, new NDList(q.quantized()), false).head();
        double recon = ReconstructionLoss.BCE_WITH_LOGITS.perExample(out, x).mean().getFloat(); // Σ over 64 pixels
        assertEquals(recon, terms.get("reconstruction"), 1e-5 * recon);
        assertEquals(squared, terms.get("codebook"), 1e-5 * squared);
        assertEquals(0.25 * squared, terms.get("commitment"), 1e-5 * squared);
        assertEquals(recon + 1.25 * squared, terms.get("loss"), 1e-5 * (recon + squared));
    }

    @Test
    void saveLoadRoundTrip() {
        BlockChecks.assertSaveLoadRoundTrip(manager, () -> model(VectorQuantizerConfig.defaults(16, 8)),
                new NDList(manager.randomUniform(0, 1, new Shape(2, 1, 8, 8))));
    }
}
