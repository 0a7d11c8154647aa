package io.gen4j.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.gen4j.core.model.SaveableModel;
import io.gen4j.diffusion.latent.LatentDiffusionModel;
import io.gen4j.diffusion.text.LabelCaptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bench workloads added for flow matching, PixelCNN, WaveNet and latent diffusion: one training step
 * updates the parameters, and the sampler runs; at tiny batches (the timings are the bench command's
 * business).
 */
class WorkloadsTest {

    private static List<float[]> parameters(Workload w) throws ReflectiveOperationException {
        java.lang.reflect.Field f = w.getClass().getDeclaredField("model");
        f.setAccessible(true);
        Object model = f.get(w);
        ai.djl.nn.Block block = (ai.djl.nn.Block) model.getClass().getMethod("network").invoke(model);
        List<float[]> values = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            values.add(p.getValue().getArray().toFloatArray());
        }
        return values;
    }

    private static void trainsAndSamples(String family, boolean sample) throws ReflectiveOperationException {
        try (Workload w = Workloads.create(family, 2); NDManager scope = NDManager.newBaseManager()) {
            assertEquals(family, w.family());
            assertEquals(2, w.batch());
            List<float[]> before = parameters(w);
            w.trainStep(scope, 0);
            List<float[]> after = parameters(w);
            boolean changed = false;
            for (int i = 0; i < before.size(); i++) {
                changed |= !Arrays.equals(before.get(i), after.get(i));
                for (float v : after.get(i)) {
                    assertTrue(Float.isFinite(v), family + " parameter " + i + " is " + v);
                }
            }
            assertTrue(changed, family + ": the training step must update the parameters");
            if (sample) {
                w.sampleStep(scope);
            }
            assertTrue(w.sampleUnits() >= 1);
            assertFalse(w.sampleUnit().isBlank());
        }
    }

    @Test
    void flowMatching() throws ReflectiveOperationException {
        trainsAndSamples("flow-matching", true);
    }

    @Test
    void pixelCnn() throws ReflectiveOperationException {
        trainsAndSamples("pixelcnn", true);
    }

    @Test
    void waveNet() throws ReflectiveOperationException {
        trainsAndSamples("wavenet", true);
    }

    @Test
    void latentDiffusion() throws ReflectiveOperationException {
        trainsAndSamples("latent-diffusion", true);
    }

    /** The training steps update the U-Net and the text encoder and leave the autoencoder as it was. */
    @Test
    void latentDiffusionTrainsWithTheAutoencoderFrozen() throws ReflectiveOperationException {
        try (Workload w = Workloads.create("latent-diffusion", 2); NDManager scope = NDManager.newBaseManager()) {
            java.lang.reflect.Field f = w.getClass().getDeclaredField("model");
            f.setAccessible(true);
            LatentDiffusionModel model = (LatentDiffusionModel) f.get(w);
            Block codec = ((SaveableModel) model.codec()).network();
            List<float[]> codecBefore = values(codec);
            List<float[]> unetBefore = values(model.diffusionNetwork().unet());
            List<float[]> textBefore = values(model.diffusionNetwork().text().orElseThrow());
            // the zero-initialised output convolution and transformer outputs pass no gradient inward at first:
            // the inner layers and the text encoder move from the third update on
            for (int i = 0; i < 3; i++) {
                w.trainStep(scope, i);
            }
            List<float[]> codecAfter = values(codec);
            assertFalse(codecBefore.isEmpty());
            for (int i = 0; i < codecBefore.size(); i++) {
                assertTrue(Arrays.equals(codecBefore.get(i), codecAfter.get(i)), "codec parameter " + i);
            }
            assertTrue(changed(unetBefore, values(model.diffusionNetwork().unet())), "the U-Net must train");
            assertTrue(changed(textBefore, values(model.diffusionNetwork().text().orElseThrow())),
                    "the text encoder must train");
        }
    }

    /**
     * The parameters of the U-Net, the text encoder and the autoencoder are those of the PyTorch reference
     * written from the layer sizes ({@code LatentDiffusion.parameter_counts()} in bench/pytorch/models.py,
     * which bench/pytorch/bench.py prints).
     */
    @Test
    void latentDiffusionHasThePyTorchReferencesParameterCounts() throws ReflectiveOperationException {
        try (Workload w = Workloads.create("latent-diffusion", 2)) {
            java.lang.reflect.Field f = w.getClass().getDeclaredField("model");
            f.setAccessible(true);
            LatentDiffusionModel model = (LatentDiffusionModel) f.get(w);
            assertEquals(3_918_532, count(model.diffusionNetwork().unet()));
            assertEquals(103_872, count(model.diffusionNetwork().text().orElseThrow()));
            assertEquals(55_017, count(((SaveableModel) model.codec()).network()));
        }
    }

    private static long count(Block block) {
        long n = 0;
        for (float[] v : values(block)) {
            n += v.length;
        }
        return n;
    }

    /**
     * The FLOP counts against the multiply-adds of the preset's networks summed layer by layer by hand:
     * latent U-Net 64/128 on 4x8x8 (time embedding 256), spatial transformers of 128 channels at 4x4
     * with a text context of L tokens of width 64, text encoder of width 64 and 2 layers.
     */
    @Test
    void latentDiffusionFlopsMatchAHandCount() {
        long l = LabelCaptions.FASHION_MNIST.maxWords() + 1;
        long d = 64;
        long hw0 = 64;
        long hw1 = 16;
        long time = 64 * 256 + 256 * 256;
        long in = conv3(4, 64, hw0);
        long down0 = res(64, 64, hw0);
        long pool = conv3(64, 64, hw1);
        long down1 = res(64, 128, hw1);
        long mid = 2 * res(128, 128, hw1);
        long up1 = res(256, 128, hw1) + res(192, 128, hw1);
        long upConv = conv3(128, 128, hw0);
        long up0 = res(192, 64, hw0) + res(128, 64, hw0);
        long out = conv3(64, 4, hw0);
        long c = 128;
        // proj_in, qkv, self out, q, cross out, GEGLU in (8C) and out (4C), proj_out; Q·Kᵀ and A·V over the
        // H·W keys, then over the L text keys; the keys and values of the L x D context
        long transformer = hw1 * c * c * (1 + 3 + 1 + 1 + 1 + 8 + 4 + 1) + 2 * hw1 * hw1 * c + 2 * hw1 * l * c
                + 2 * l * d * c;
        long unet = time + in + down0 + pool + down1 + mid + up1 + upConv + up0 + out + 4 * transformer;
        long text = 2 * (l * d * 3 * d + l * d * d + 2 * l * d * 4 * d + 2 * l * l * d);
        int batch = 2;
        try (Workload w = Workloads.create("latent-diffusion", batch)) {
            // within 0.05 %: the U-Net's own counter counts the sinusoid's projection twice (2·64·256, 0.02 % of
            // the U-Net); the context's keys and values (1 % of the U-Net) and the text encoder (1 %) are counted
            assertEquals(2.0 * unet * 2 * batch, w.sampleFlops(), 5e-4 * w.sampleFlops());
            assertEquals(3 * 2.0 * (unet + text) * batch, w.trainFlops(), 5e-4 * w.trainFlops());
        }
    }

    private static long conv3(long in, long out, long hw) {
        return 9 * in * out * hw;
    }

    /** Two 3x3 convolutions, the time embedding's projection (256) and a 1x1 skip when the width changes. */
    private static long res(long in, long out, long hw) {
        return conv3(in, out, hw) + conv3(out, out, hw) + 256 * out + (in == out ? 0 : hw * in * out);
    }

    private static List<float[]> values(Block block) {
        List<float[]> values = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            values.add(p.getValue().getArray().toFloatArray());
        }
        return values;
    }

    private static boolean changed(List<float[]> before, List<float[]> after) {
        for (int i = 0; i < before.size(); i++) {
            if (!Arrays.equals(before.get(i), after.get(i))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void everyFamilyIsListed() {
        assertEquals(List.of("ddpm", "vae", "realnvp", "dcgan", "flow-matching", "pixelcnn", "wavenet",
                "latent-diffusion"), Workloads.FAMILIES);
    }
}
