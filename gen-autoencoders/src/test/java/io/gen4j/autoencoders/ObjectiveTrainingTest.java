package io.gen4j.autoencoders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.TensorBatches;
import io.gen4j.core.data.BatchOrder;
import io.gen4j.core.testing.BlockChecks;
import io.gen4j.core.train.Adam;
import io.gen4j.core.train.EmaConfig;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.FitResult;
import io.gen4j.core.train.LearningRateSchedule;
import org.junit.jupiter.api.Test;

/** gen-core's Fit loop drives a VAE and a VQ-VAE through their objectives and gen-core's ObjectiveStep. */
class ObjectiveTrainingTest {

    private static TensorBatches bars(long seed) {
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            NDArray[] data = ToyData.bars(m, 256, seed);
            float[] pixels = data[0].toFloatArray();
            long[] l = data[1].toLongArray();
            int[] labels = new int[l.length];
            for (int i = 0; i < l.length; i++) {
                labels[i] = (int) l[i];
            }
            return new TensorBatches(pixels, new long[] {1, 8, 8}, labels, new BatchOrder(256, 32, seed, true));
        }
    }

    @Test
    void fitTrainsAVaeAndReportsEveryTerm() {
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            Engine.getInstance().setRandomSeed(3);
            Vae vae = new Vae(Networks.mlpEncoder(8, 32), Networks.mlpDecoder(ToyData.IMAGE, 32),
                    VaeConfig.defaults(4).withKl(new KlSchedule(1, 50, 0)), ToyData.IMAGE);
            vae.initialize(manager, DataType.FLOAT32, new Shape(32, 1, 8, 8));
            ObjectiveStep step = ObjectiveStep.builder().setObjective(vae.objective())
                    .setOptimizer(Adam.factory(LearningRateSchedule.constant(1e-2), AdamConfig.defaults()))
                    .optName("vae").optClipNorm(100).optEma(new EmaConfig(0.9, true)).build();
            FitResult first = Fit.builder().setStep(step).setSource(bars(1)).setManager(manager)
                    .optTotalSteps(1).optSeed(5).build().run();
            int before = BlockChecks.countManagedArrays(manager);
            FitResult r = Fit.builder().setStep(step).setSource(bars(1)).setManager(manager)
                    .optStartStep(1).optTotalSteps(200).optSeed(5).build().run();
            assertEquals(before, BlockChecks.countManagedArrays(manager), "managed arrays grew");
            assertEquals(200, step.ema().updates());
            for (String key : new String[] {"lr", "loss", "reconstruction", "kl", "negElbo", "klWeight", "gradNorm"}) {
                assertTrue(r.lastMetrics().containsKey(key), key + " missing from " + r.lastMetrics());
            }
            assertEquals(1.0, r.lastMetrics().get("klWeight"));
            assertTrue(r.lastMetrics().get("negElbo") < first.lastMetrics().get("negElbo") / 2,
                    first.lastMetrics() + " -> " + r.lastMetrics());
        }
    }

    @Test
    void emaCodebookIsLeftToTheModel() {
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            Engine.getInstance().setRandomSeed(4);
            VqVae vq = new VqVae(Networks.convFeatureEncoder(8, 16), new VectorQuantizer(VectorQuantizerConfig.defaults(16, 8)),
                    Networks.convFeatureDecoder(1, 16), ReconstructionLoss.BCE_WITH_LOGITS);
            vq.initialize(manager, DataType.FLOAT32, new Shape(32, 1, 8, 8));
            NDArray before = vq.quantizer().codebook().duplicate();
            ObjectiveStep step = ObjectiveStep.builder().setObjective(vq.objective())
                    .setOptimizer(Adam.factory(LearningRateSchedule.constant(3e-3), AdamConfig.defaults()))
                    .build();
            FitResult r = Fit.builder().setStep(step).setSource(bars(2)).setManager(manager)
                    .optTotalSteps(20).optSeed(6).build().run();
            assertTrue(r.lastMetrics().containsKey("perplexity"), r.lastMetrics().toString());
            assertTrue(vq.quantizer().codebook().sub(before).abs().sum().getFloat() > 0, "EMA never moved the codebook");
        }
    }
}
