package io.gen4j.examples.topics.ddpm;

import io.gen4j.examples.testing.SubsetData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.gen4j.diffusion.DdimSampler;
import io.gen4j.diffusion.SamplerResult;
import io.gen4j.diffusion.Spacing;
import io.gen4j.diffusion.TimeGrid;
import io.gen4j.examples.topics.Profile;
import io.gen4j.examples.topics.TopicOptions;
import io.gen4j.examples.topics.TopicResult;
import io.gen4j.examples.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Topic 11-05 end to end with the smoke profile, then sampling from the saved model. */
class DdpmTopicTest {

    @TempDir
    Path out;

    @Test
    void smokeRunWritesEveryFigureAndASampleableModel() throws Exception {
        TopicResult result = Topics.find("11-05").orElseThrow()
                .run(TopicOptions.of(Profile.SMOKE, out, 3, Optional.of(SubsetData.directory(out))));
        for (Path f : result.files()) {
            assertTrue(Files.exists(f), "missing " + f);
        }
        for (String name : new String[] {"forward_noising.png", "schedules_alpha_bar.png",
                "schedules_beta.png", "training_loss.png", "samples_ema.png",
                "denoising_trajectory.png", "ddpm_10_steps.png", "ddim_100_steps.png",
                "vlb_terms.png"}) {
            assertTrue(Files.size(result.runDirectory().resolve("images").resolve(name)) > 100,
                    name);
        }
        String report = Files.readString(result.runDirectory().resolve("report.md"));
        for (String section : new String[] {"Forward process", "Noise schedules", "Training",
                "Samples (EMA weights)", "Denoising trajectory", "DDPM vs DDIM",
                "Variational bound"}) {
            assertTrue(report.contains("## " + section), "report lacks " + section);
        }
        Map<String, Double> m = result.metrics();
        assertTrue(Double.isFinite(m.get("final_loss")));
        assertTrue(m.get("vlb_bits_per_dim_small") > 0 && m.get("vlb_bits_per_dim_small") < 100,
                "bound " + m.get("vlb_bits_per_dim_small"));
        assertTrue(m.containsKey("ddim_5_seconds") && m.containsKey("ddpm_100_seconds"));

        try (NDManager manager = NDManager.newBaseManager()) {
            DdpmRun loaded = DdpmRun.load(manager, result.runDirectory());
            SamplerResult r = loaded.sample(manager, DdimSampler.deterministic(),
                    TimeGrid.spaced(loaded.schedule().steps(), 5, Spacing.LINSPACE), 2, false);
            assertEquals(4, r.samples().getShape().dimension());
            assertEquals(32, r.samples().getShape().get(3));
        }
    }
}
