package io.gen4j.examples.topics.latent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.autoencoders.KlAutoencoderModel;
import io.gen4j.autoencoders.KlAutoencoderSpec;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.io.ArrayFiles;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.nn.UNetConfig;
import io.gen4j.diffusion.DdpmSpec;
import io.gen4j.diffusion.NoiseSchedule;
import io.gen4j.diffusion.Prediction;
import io.gen4j.diffusion.Spacing;
import io.gen4j.diffusion.latent.LatentDiffusionFamily;
import io.gen4j.diffusion.latent.LatentDiffusionModel;
import io.gen4j.diffusion.latent.LatentDiffusionSpec;
import io.gen4j.diffusion.text.LabelCaptions;
import io.gen4j.diffusion.text.TextEncoderConfig;
import io.gen4j.diffusion.text.WordTokenizer;
import io.gen4j.examples.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gen4j sample --prompt} on a tiny saved latent-diffusion model. */
class SamplePromptCliTest {

    @TempDir
    Path dir;

    private static final DataSpec DATA = DataSpec.image(1, 16, 16, PixelRange.MINUS_ONE_ONE);

    private Path saveTinyModel() throws Exception {
        WordTokenizer tokenizer = WordTokenizer.of(LabelCaptions.FASHION_MNIST.vocabulary(),
                LabelCaptions.FASHION_MNIST.maxWords());
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            KlAutoencoderModel vae = KlAutoencoderModel.create(new KlAutoencoderSpec(4, 8, 1e-4, 0.5, DATA), manager);
            UNetConfig unet = UNetConfig.builder().setImageChannels(4).optBaseChannels(16).optChannelMultipliers(1, 2)
                    .optAttentionLevels(1).optGroups(4).optHeads(2).optContextDim(16).build();
            LatentDiffusionSpec spec = new LatentDiffusionSpec(unet, DdpmSpec.Schedule.of(NoiseSchedule.linear(50)),
                    Prediction.EPSILON, new DdpmSpec.Sampling(3, 0.0, Spacing.LINSPACE), LatentDiffusionModel.codecOf(vae),
                    new LatentDiffusionSpec.Text(tokenizer, TextEncoderConfig.of(tokenizer, 16, 1, 2),
                            LabelCaptions.FASHION_MNIST.prompts(), 2.0), DATA);
            LatentDiffusionModel model = LatentDiffusionFamily.create(spec, vae, manager);
            // the output layer starts at zero: give every parameter a value so that prompts matter
            for (var p : model.network().getParameters()) {
                var a = p.getValue().getArray();
                a.set(manager.randomNormal(0f, 0.2f, a.getShape(), a.getDataType()).toFloatArray());
            }
            ModelStore.save(model, dir.resolve("model"));
        }
        return dir;
    }

    @Test
    void promptIsUsedForEverySampleAndCheckedBeforeLoading() throws Exception {
        Path run = saveTinyModel();
        Path out = dir.resolve("trousers.npy");
        String[] r = Cli.run("sample", "--run", run.toString(), "--prompt", "a pair of trousers", "-n", "3",
                "--seed", "4", "--format", "npy", "--out", out.toString());
        assertEquals("0", r[0], r[2]);
        float[] cli = ArrayFiles.read(out).toFloatArray();
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(4);
            LatentDiffusionModel model = ModelStore.load(run.resolve("model"), manager, LatentDiffusionModel.class);
            var direct = model.sample(manager, Collections.nCopies(3, "a pair of trousers"), SampleOptions.defaults());
            assertEquals(new Shape(3, 1, 16, 16), direct.getShape());
            // the npy holds 8-bit pixels (ArrayFiles.writeImages)
            assertArrayEquals(io.gen4j.core.io.NumpyArray.of(direct).toPixels(PixelRange.MINUS_ONE_ONE).toFloatArray(),
                    cli, 0f);
        }
        Path bag = dir.resolve("bag.npy");
        assertEquals("0", Cli.run("sample", "--run", run.toString(), "--prompt", "a bag", "-n", "3", "--seed", "4",
                "--format", "npy", "--out", bag.toString())[0]);
        assertFalse(Arrays.equals(cli, ArrayFiles.read(bag).toFloatArray()), "the prompt changed nothing");

        // --guidance: the spec's scale (2.0) reproduces the default bit for bit; 0 (unconditional) changes it
        Path w2 = dir.resolve("w2.npy");
        assertEquals("0", Cli.run("sample", "--run", run.toString(), "--prompt", "a pair of trousers", "-n", "3",
                "--seed", "4", "--guidance", "2", "--format", "npy", "--out", w2.toString())[0]);
        assertArrayEquals(cli, ArrayFiles.read(w2).toFloatArray(), 0f);
        Path w0 = dir.resolve("w0.npy");
        assertEquals("0", Cli.run("sample", "--run", run.toString(), "--prompt", "a pair of trousers", "-n", "3",
                "--seed", "4", "--guidance", "0", "--format", "npy", "--out", w0.toString())[0]);
        assertFalse(Arrays.equals(cli, ArrayFiles.read(w0).toFloatArray()), "--guidance 0 changed nothing");

        // refused before anything is loaded or written: unknown words, too long, not a text model, a
        // sampler the pipeline does not have
        Path refused = dir.resolve("refused.npy");
        r = Cli.run("sample", "--run", run.toString(), "--sampler", "euler", "--out", refused.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--sampler must be ddim for a latent-diffusion model"), r[2]);
        r = Cli.run("sample", "--run", run.toString(), "--steps", "51", "--out", refused.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("steps must be in [1, 50], got 51"), r[2]);
        r = Cli.run("sample", "--run", run.toString(), "--prompt", "a zebra", "--out", refused.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].startsWith("--prompt has words this model's tokenizer does not know: zebra"), r[2]);
        r = Cli.run("sample", "--run", run.toString(), "--prompt", "a bag ".repeat(20), "--out", refused.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--prompt has 40 words; this model's tokenizer holds at most"), r[2]);
        try (NDManager manager = NDManager.newBaseManager()) {
            KlAutoencoderModel vae = KlAutoencoderModel.create(KlAutoencoderSpec.defaults(DATA), manager);
            ModelStore.save(vae, dir.resolve("vae"));
        }
        r = Cli.run("sample", "--run", dir.resolve("vae").toString(), "--prompt", "a bag", "--out", refused.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--prompt needs a text-to-image model (family latent-diffusion)"), r[2]);
        assertFalse(Files.exists(refused));
    }
}
