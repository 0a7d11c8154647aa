package io.gen4j.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.nn.UNetConfig;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.TrainingRecipe;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The DDPM presets carry the settings their docs state, and fit the data they are given. */
class DdpmPresetTest {

    @Test
    void theQuickstartPresetIsTheDocumentedOne() {
        DdpmPreset p = DdpmPreset.quickstart28();
        assertEquals(16, p.unet().baseChannels());
        assertArrayEquals(new int[] {1, 2, 2}, p.unet().channelMultipliers());
        assertEquals(NoiseSchedule.Type.COSINE, p.schedule());
        assertEquals(1000, p.diffusionSteps());
        assertEquals(Prediction.EPSILON, p.prediction());
        assertEquals(new TrainingRecipe(2000, 32, 1e-3, 1e-4, 50, 1.0, p.training().adam()), p.training());
        assertEquals(0.99, p.emaDecay());
        assertEquals(50, p.samplerSteps());
    }

    @Test
    void theTopicPresetsAreTheDocumentedOnes() {
        DdpmPreset cpu = DdpmPreset.cifar10();
        assertEquals(UNetConfig.defaults(3), cpu.unet());
        assertEquals(new TrainingRecipe(2000, 32, 1e-3, 1e-4, 100, 1.0, cpu.training().adam()), cpu.training());
        assertEquals(0.995, cpu.emaDecay());
        DdpmPreset gpu = DdpmPreset.cifar10Long();
        assertEquals(128, gpu.unet().baseChannels());
        assertArrayEquals(new int[] {1, 2, 2, 2}, gpu.unet().channelMultipliers());
        assertArrayEquals(new int[] {1}, gpu.unet().attentionLevels());
        assertEquals(NoiseSchedule.Type.LINEAR, gpu.schedule());
        assertEquals(new TrainingRecipe(100_000, 128, 2e-4, 2e-5, 5000, 1.0, gpu.training().adam()), gpu.training());
        assertEquals(1, gpu.likelihoodStride());
    }

    @Test
    void theSpecTakesTheDataShape() {
        DdpmSpec grey = DdpmPreset.cifar10().spec(1, 28, 28);
        assertEquals(1, grey.unet().inChannels());
        assertEquals(1, grey.unet().outChannels());
        assertArrayEquals(new long[] {1, 28, 28}, grey.data().shape());
        assertEquals(1000, grey.noiseSchedule().steps());
        // the cosine schedule's closed form (Nichol & Dhariwal 2021): alpha_bar_t = f(t)/f(0), f(t) = cos^2(((t/T) + s)/(1 + s) pi/2)
        double s = 0.008;
        double f0 = Math.pow(Math.cos(s / (1 + s) * Math.PI / 2), 2);
        double f500 = Math.pow(Math.cos((500.0 / 1000 + s) / (1 + s) * Math.PI / 2), 2);
        assertEquals(f500 / f0, grey.noiseSchedule().alphaBar(499), 5e-3); // index 499 is step 500 of 1..T
        assertEquals(100, grey.sampling().steps());
        assertEquals(3, DdpmPreset.quickstart28().spec(3, 32, 32).unet().inChannels());
    }

    @Test
    void theStepUsesTheRecipesScheduleAndTheEma() {
        DdpmPreset p = DdpmPreset.quickstart28();
        LearningRateSchedule schedule = p.training().schedule();
        assertEquals(1e-3, schedule.rate(50), 1e-12); // the end of the warm-up: the peak
        assertEquals(1e-4, schedule.rate(2000), 1e-12); // the last update: the final rate
        // halfway through the decay the cosine is at the mean of the peak and the final rate
        assertEquals((1e-3 + 1e-4) / 2, schedule.rate(50 + (2000 - 50) / 2), 2e-6);
        TrainingRecipe shorter = p.withTraining(p.training().withSteps(400)).training();
        assertEquals(400, shorter.steps());
        assertEquals(10, shorter.warmupSteps());
    }

    @Test
    void theComparisonPresetsAreTheDocumentedOnes() {
        DdpmPreset cpu = DdpmPreset.comparison28();
        assertEquals(List.of(32, 8, 500, 0.0, 50, 25), List.of(cpu.unet().baseChannels(), cpu.unet().groups(),
                cpu.diffusionSteps(), cpu.emaDecay(), cpu.samplerSteps(), cpu.likelihoodStride()));
        assertArrayEquals(new int[] {1, 2}, cpu.unet().channelMultipliers());
        assertEquals(new TrainingRecipe(500, 32, 1e-3, 1e-4, 50, 1.0, cpu.training().adam()), cpu.training());
        DdpmPreset gpu = DdpmPreset.comparison28Long();
        assertEquals(List.of(64, 16, 1000, 0.0, 100, 10), List.of(gpu.unet().baseChannels(), gpu.unet().groups(),
                gpu.diffusionSteps(), gpu.emaDecay(), gpu.samplerSteps(), gpu.likelihoodStride()));
        assertEquals(new TrainingRecipe(30_000, 32, 1e-3, 1e-4, 100, 1.0, gpu.training().adam()), gpu.training());
    }

    @Test
    void anEmaDecayOfZeroTrainsWithoutAnAverage() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            for (DdpmPreset preset : new DdpmPreset[] {DdpmPreset.comparison28(), DdpmPreset.quickstart28()}) {
                DdpmPreset tiny = new DdpmPreset(UNetConfig.builder().setImageChannels(1).optBaseChannels(8)
                        .optChannelMultipliers(1, 2).optGroups(4).build(), preset.schedule(), 50,
                        preset.prediction(), preset.training(), preset.emaDecay(), 5, 10);
                DdpmSpec spec = tiny.spec(1, 8, 8);
                DdpmModel model = new DdpmFamily().create(spec, manager);
                ObjectiveStep step = tiny.step(DdpmObjective.simple(model.unet(), spec.noiseSchedule(),
                        spec.prediction())).build();
                assertEquals(preset.emaDecay() > 0, step.ema() != null, () -> "EMA " + preset.emaDecay());
            }
        }
    }

    @Test
    void badValuesAreNamed() {
        DdpmPreset p = DdpmPreset.quickstart28();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DdpmPreset(p.unet(),
                p.schedule(), p.diffusionSteps(), p.prediction(), p.training(), 1.0, 50, 50));
        assertTrue(e.getMessage().contains("emaDecay"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DdpmPreset(p.unet(), p.schedule(), 100,
                p.prediction(), p.training(), 0.99, 101, 50));
        assertTrue(e.getMessage().contains("samplerSteps must be in [2, 100]"), e.getMessage());
    }
}
