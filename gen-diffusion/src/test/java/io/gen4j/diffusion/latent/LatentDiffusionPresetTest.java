package io.gen4j.diffusion.latent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.train.TrainingRecipe;
import io.gen4j.diffusion.Prediction;
import io.gen4j.diffusion.Spacing;
import io.gen4j.diffusion.text.ContrastiveImageText;
import io.gen4j.diffusion.text.LabelCaptions;
import io.gen4j.diffusion.text.WordTokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The latent diffusion presets carry the settings their docs state and fit the codec and captions given. */
class LatentDiffusionPresetTest {

    private static final WordTokenizer TOKENS = WordTokenizer.of(LabelCaptions.FASHION_MNIST.vocabulary(),
            LabelCaptions.FASHION_MNIST.maxWords());

    @Test
    void theCpuPresetIsTheDocumentedOne() {
        LatentDiffusionPreset p = LatentDiffusionPreset.textToImage32();
        LatentDiffusionPreset.Autoencoder a = p.autoencoder();
        assertEquals(List.of(4, 32, 2048, 20_000), List.of(a.latentChannels(), a.width(), a.scaleImages(),
                a.encodedImages()));
        assertEquals(1e-4, a.klWeight());
        assertEquals(new TrainingRecipe(800, 32, 2e-3, 2e-4, 50, 1.0, a.training().adam()), a.training());
        assertEquals(64, p.unet().baseChannels());
        assertArrayEquals(new int[] {1, 2}, p.unet().channelMultipliers());
        assertArrayEquals(new int[] {1}, p.unet().attentionLevels());
        assertEquals(64, p.unet().contextDim());
        assertEquals(new LatentDiffusionPreset.Text(64, 2, 4), p.text());
        assertEquals(new TrainingRecipe(1200, 64, 1e-3, 1e-4, 100, 1.0, p.training().adam()), p.training());
        assertEquals(List.of(1000, 20), List.of(p.diffusionSteps(), p.samplerSteps()));
        assertEquals(List.of(0.995, 0.1, 3.0), List.of(p.emaDecay(), p.conditionDropout(), p.guidanceScale()));
        assertEquals(new TrainingRecipe(400, 64, 1e-3, 1e-3, 0, 0, p.clip().training().adam()), p.clip().training());
    }

    @Test
    void theGpuPresetIsTheDocumentedOne() {
        LatentDiffusionPreset p = LatentDiffusionPreset.textToImage32Long();
        assertEquals(64, p.autoencoder().width());
        assertEquals(new TrainingRecipe(20_000, 64, 2e-3, 2e-4, 50, 1.0, p.training().adam()),
                p.autoencoder().training());
        assertEquals(128, p.unet().baseChannels());
        assertEquals(256, p.unet().contextDim());
        assertEquals(new TrainingRecipe(100_000, 128, 2e-4, 2e-5, 100, 1.0, p.training().adam()), p.training());
        assertEquals(List.of(0.9999, 50), List.of(p.emaDecay(), p.samplerSteps()));
        assertEquals(10_000, p.clip().training().steps());
    }

    @Test
    void theRecipesFollowTheirWarmUpRules() {
        // min(100, steps / 4) and min(50, steps / 4), integer division
        assertEquals(List.of(0L, 1L, 25L, 99L, 100L), List.of(LatentDiffusionPreset.recipe(3, 8, 1e-3).warmupSteps(),
                LatentDiffusionPreset.recipe(7, 8, 1e-3).warmupSteps(),
                LatentDiffusionPreset.recipe(100, 8, 1e-3).warmupSteps(),
                LatentDiffusionPreset.recipe(399, 8, 1e-3).warmupSteps(),
                LatentDiffusionPreset.recipe(401, 8, 1e-3).warmupSteps()));
        assertEquals(50, LatentDiffusionPreset.autoencoderRecipe(201, 8).warmupSteps());
        assertEquals(12, LatentDiffusionPreset.autoencoderRecipe(50, 8).warmupSteps());
        LatentDiffusionPreset shorter = LatentDiffusionPreset.textToImage32().withTrainingSteps(21);
        assertEquals(new TrainingRecipe(21, 64, 1e-3, 1e-4, 5, 1.0, shorter.training().adam()), shorter.training());
        // the CLIP's recipe is a constant rate: the cosine between equal rates
        TrainingRecipe clip = LatentDiffusionPreset.textToImage32().clip().training();
        for (long t = 0; t <= 400; t += 37) {
            assertEquals(1e-3, clip.schedule().rate(t));
        }
    }

    @Test
    void theSpecTakesTheCodecsChannelsAndTheTokenizer() {
        LatentDiffusionPreset p = LatentDiffusionPreset.textToImage32();
        DataSpec colour = DataSpec.image(3, 8, 8, PixelRange.MINUS_ONE_ONE);
        SpaceToDepthCodec codec = SpaceToDepthCodec.of(new SpaceToDepthCodec.Spec(colour, 2.0)); // (12, 4, 4) latents
        List<String> prompts = LabelCaptions.FASHION_MNIST.prompts();
        LatentDiffusionSpec spec = p.spec(codec, TOKENS, prompts, colour);
        assertEquals(12, spec.unet().inChannels());
        assertEquals(12, spec.unet().outChannels());
        assertEquals(64, spec.text().encoder().width());
        assertEquals(TOKENS.size(), spec.text().encoder().vocabularySize());
        assertEquals(3.0, spec.text().guidanceScale());
        assertEquals(prompts, spec.text().prompts());
        assertEquals(Prediction.EPSILON, spec.prediction());
        assertEquals(new io.gen4j.diffusion.DdpmSpec.Sampling(20, 0.0, Spacing.LINSPACE), spec.sampling());
        // the linear schedule's closed form (Ho et al. 2020): beta_t from 1e-4 to 0.02 over T = 1000
        double[] betas = spec.schedule().betas();
        assertEquals(1e-4, betas[0], 1e-12);
        assertEquals(0.02, betas[999], 1e-12);
        assertEquals(1e-4 + (0.02 - 1e-4) * 500 / 999, betas[500], 1e-12);
        assertEquals(codec.spec().family(), spec.codec().family());
    }

    @Test
    void theModelAndTheClipBuildFromThePreset() {
        LatentDiffusionPreset p = LatentDiffusionPreset.textToImage32();
        DataSpec grey = DataSpec.image(1, 8, 8, PixelRange.MINUS_ONE_ONE);
        SpaceToDepthCodec codec = SpaceToDepthCodec.of(new SpaceToDepthCodec.Spec(grey, 2.0));
        try (NDManager manager = NDManager.newBaseManager()) {
            LatentDiffusionModel model = LatentDiffusionFamily.create(p.spec(codec, TOKENS,
                    LabelCaptions.FASHION_MNIST.prompts(), grey), codec, manager);
            assertEquals(0.1, p.objective(model.diffusionNetwork()).conditionDropout());
            assertEquals(p.schedule(), p.objective(model.diffusionNetwork()).schedule());
            ContrastiveImageText clip = p.clip().create(1, TOKENS);
            assertTrue(clip.getChildren().size() > 0);
        }
    }

    @Test
    void badValuesAreNamed() {
        LatentDiffusionPreset p = LatentDiffusionPreset.textToImage32();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LatentDiffusionPreset(
                p.autoencoder(), p.unet(), new LatentDiffusionPreset.Text(32, 2, 4), 1000, p.training(), 0.995, 0.1,
                3.0, 20, p.clip()));
        assertTrue(e.getMessage().contains("contextDim"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LatentDiffusionPreset(p.autoencoder(), p.unet(),
                p.text(), 1000, p.training(), 0.995, 1.0, 3.0, 20, p.clip()));
        assertTrue(e.getMessage().contains("conditionDropout"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LatentDiffusionPreset(p.autoencoder(), p.unet(),
                p.text(), 10, p.training(), 0.995, 0.1, 3.0, 20, p.clip()));
        assertTrue(e.getMessage().contains("samplerSteps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LatentDiffusionPreset.Text(30, 2, 4));
        assertTrue(e.getMessage().contains("divisible"), e.getMessage());
    }
}
