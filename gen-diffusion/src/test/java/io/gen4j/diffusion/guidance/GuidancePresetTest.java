package io.gen4j.diffusion.guidance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.nn.UNet;
import io.gen4j.core.nn.UNetConfig;
import io.gen4j.core.train.TrainingRecipe;
import io.gen4j.diffusion.DdpmObjective;
import io.gen4j.diffusion.DdpmSpec;
import io.gen4j.diffusion.Prediction;
import io.gen4j.diffusion.distill.DistillationPreset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The guided DDPM presets carry the settings their docs state. */
class GuidancePresetTest {

    @Test
    void theCpuPresetIsTheDocumentedOne() {
        GuidancePreset p = GuidancePreset.classes28();
        assertEquals(List.of(16, 1000), List.of(p.baseChannels(), p.diffusionSteps()));
        assertEquals(List.of(0.2, 0.995), List.of(p.labelDropout(), p.emaDecay()));
        assertEquals(new TrainingRecipe(400, 32, 2e-3, 2e-4, 20, 1.0, p.training().adam()), p.training());
        assertEquals(new DistillationPreset(8, 3, new TrainingRecipe(60, 32, 2e-4, 2e-4, 0, 1.0,
                p.training().adam())), p.distillation());
        UNetConfig u = p.unet(1, 10);
        assertArrayEquals(new int[] {1, 2}, u.channelMultipliers());
        assertEquals(List.of(1, 16, 4, 10), List.of(u.inChannels(), u.baseChannels(), u.groups(), u.numClasses()));
    }

    @Test
    void theGpuPresetIsTheDocumentedOne() {
        GuidancePreset p = GuidancePreset.classes28Long();
        assertEquals(List.of(64, 1000), List.of(p.baseChannels(), p.diffusionSteps()));
        assertEquals(0.1, p.labelDropout());
        assertEquals(new TrainingRecipe(40_000, 128, 2e-4, 2e-5, 2000, 1.0, p.training().adam()), p.training());
        assertEquals(List.of(64, 4, 10_000L), List.of(p.distillation().teacherSteps(), p.distillation().rounds(),
                p.distillation().training().steps()));
        assertEquals(16, p.unet(3, 10).groups());
    }

    @Test
    void theRecipeWarmsUpOverATwentiethAndTheSpecIsVPrediction() {
        assertEquals(List.of(1L, 1L, 2L, 2000L), List.of(GuidancePreset.recipe(6, 8, 1e-3).warmupSteps(),
                GuidancePreset.recipe(39, 8, 1e-3).warmupSteps(), GuidancePreset.recipe(40, 8, 1e-3).warmupSteps(),
                GuidancePreset.recipe(40_000, 8, 1e-3).warmupSteps()));
        DdpmSpec spec = GuidancePreset.classes28().spec(1, 28, 28, 10);
        assertEquals(Prediction.VELOCITY, spec.prediction());
        assertArrayEquals(new long[] {1, 28, 28}, spec.data().shape());
        assertEquals(10, spec.unet().numClasses());
        // the cosine schedule's closed form (Nichol & Dhariwal 2021) at t = T/2
        double s = 0.008;
        double f0 = Math.pow(Math.cos(s / (1 + s) * Math.PI / 2), 2);
        double f500 = Math.pow(Math.cos((500.0 / 1000 + s) / (1 + s) * Math.PI / 2), 2);
        assertEquals(f500 / f0, spec.noiseSchedule().alphaBar(499), 5e-3);
    }

    @Test
    void theObjectiveDropsLabelsToTheNullLabel() {
        GuidancePreset p = GuidancePreset.classes28();
        try (NDManager manager = NDManager.newBaseManager()) {
            UNet unet = new UNet(UNetConfig.builder().setImageChannels(1).optBaseChannels(4).optChannelMultipliers(1, 2)
                    .optGroups(1).optClasses(10).build());
            unet.initialize(manager, DataType.FLOAT32, new Shape(2, 1, 8, 8), new Shape(2), new Shape(2));
            DdpmObjective<UNet> objective = p.objective(unet, 10);
            assertTrue(objective.conditional());
            assertEquals(0.2, objective.labelDropout().probability());
            assertEquals(Prediction.VELOCITY, objective.prediction());
            assertEquals(p.schedule(), objective.schedule());
        }
    }

    @Test
    void badValuesAreNamed() {
        GuidancePreset p = GuidancePreset.classes28();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GuidancePreset(16, 1000,
                1.0, p.training(), 0.995, p.distillation()));
        assertTrue(e.getMessage().contains("labelDropout"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DistillationPreset.of(12, 3, 10, 8, 1e-4));
        assertTrue(e.getMessage().contains("2^rounds = 8"), e.getMessage());
    }
}
