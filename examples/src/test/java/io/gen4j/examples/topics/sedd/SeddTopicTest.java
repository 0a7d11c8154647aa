package io.gen4j.examples.topics.sedd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.model.SaveableModel;
import io.gen4j.diffusion.discrete.SeddPreset;
import io.gen4j.diffusion.discrete.TransformerConfig;
import io.gen4j.examples.topics.Profile;
import io.gen4j.examples.topics.TopicOptions;
import io.gen4j.examples.topics.TopicResult;
import io.gen4j.examples.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Topic 11-05-sedd end to end with the smoke profile on a small text of its own, then sampling the saved models. */
class SeddTopicTest {

    @Test
    void theCpuAndGpuProfilesTrainThePublicPresets() {
        for (Profile profile : new Profile[] {Profile.CPU, Profile.GPU}) {
            SeddTopic.Settings s = SeddTopic.settings(profile, 0);
            SeddPreset expected = profile == Profile.CPU ? SeddPreset.characters("xyz") : SeddPreset.charactersLong("xyz");
            assertEquals(expected, SeddTopic.preset(s, "xyz"), profile.name());
            TransformerConfig n = expected.sedd().network();
            assertEquals(List.of(n.length(), n.width(), n.depth(), n.heads(), expected.training().batchSize(),
                    expected.training().steps(), expected.training().learningRate(), expected.sedd().likelihoodTimes()),
                    List.of(s.length(), s.width(), s.depth(), s.heads(), s.batch(), s.steps(), s.learningRate(),
                            s.boundTimes()), profile.name());
        }
    }

    @TempDir
    Path out;

    @Test
    void smokeRunWritesEveryFigureAndSampleableModels() throws Exception {
        StringBuilder text = new StringBuilder();
        String[] verses = {"In the beginning God created the heaven and the earth.",
            "And the earth was without form, and void; and darkness was upon the face of the deep.",
            "And God said, Let there be light: and there was light."};
        for (int i = 0; text.length() < 4000; i++) {
            text.append(verses[i % verses.length]).append('\n');
        }
        Path file = out.resolve("text.txt");
        Files.writeString(file, text);
        TopicResult result = Topics.find("11-05-sedd").orElseThrow()
                .run(TopicOptions.of(Profile.SMOKE, out.resolve("runs"), 3, Optional.of(file)));
        for (Path f : result.files()) {
            assertTrue(Files.exists(f), "missing " + f);
        }
        for (String name : new String[] {"bits_per_char.png", "samples.png", "infilling.png",
                "denoising_trajectory.png"}) {
            assertTrue(Files.size(result.runDirectory().resolve("images").resolve(name)) > 100, name);
        }
        String report = Files.readString(result.runDirectory().resolve("report.md"));
        for (String section : new String[] {"Bits per character on the test text", "Samples", "Infilling",
                "Denoising trajectory", "A language of known entropy"}) {
            assertTrue(report.contains("## " + section), "report lacks " + section);
        }
        Map<String, Double> m = result.metrics();
        assertTrue(m.get("sedd_bound_bits_per_char") > 0 && Double.isFinite(m.get("sedd_bound_bits_per_char")));
        assertTrue(m.get("ar_exact_bits_per_char") > 0 && m.get("ar_exact_bits_per_char") < 10);
        assertTrue(m.get("markov_sedd_bound_bits_per_token") > 0);
        for (String[] data : new String[][] {{"kjv", "sedd", "ar"}, {"markov", "markov_sedd", "markov_ar"}}) {
            // the baseline's schedule: as long as the steps that spend SEDD's CPU time at the measured costs
            double sedd = m.get(data[0] + "_sedd_cpu_seconds_per_step");
            double ar = m.get(data[0] + "_ar_cpu_seconds_per_step");
            assertTrue(sedd > 0 && ar > 0, data[0] + ": step costs " + sedd + ", " + ar);
            long schedule = Math.max(1, Math.round(m.get(data[0] + "_sedd_steps") * sedd / ar));
            assertEquals(schedule, m.get(data[0] + "_ar_schedule_steps"), data[0]);
            // the budget is SEDD's training CPU time; the baseline trained until it had spent it, or to its
            // cap of twice the schedule
            assertEquals(m.get(data[1] + "_train_cpu_seconds"), m.get(data[2] + "_budget_cpu_seconds"), 1e-6, data[0]);
            double steps = m.get(data[0] + "_ar_steps");
            assertTrue(steps >= 1 && steps <= 2 * schedule, data[0] + ": " + steps + " steps");
            assertTrue(steps == 2 * schedule || m.get(data[2] + "_train_cpu_seconds")
                    >= m.get(data[2] + "_budget_cpu_seconds"), data[0] + ": stopped before its budget");
            assertEquals(String.valueOf((long) steps), Files.readAllLines(result.runDirectory().resolve("budget-"
                    + data[2].replace('_', '-') + ".csv")).get(1).split(",")[0], data[0]);
        }
        assertTrue(Files.isRegularFile(result.runDirectory().resolve("step-cost-kjv.csv")));
        for (String[] training : new String[][] {{"sedd", "kjv_sedd"}, {"ar", "kjv_ar"}, {"markov_sedd", "markov_sedd"},
            {"markov_ar", "markov_ar"}}) {
            // every training's thread CPU time is measured, and all its steps ran in this run
            assertTrue(m.get(training[0] + "_train_cpu_seconds") > 0, training[0]);
            assertEquals(m.get(training[1] + "_steps"), m.get(training[0] + "_steps_run"), training[0]);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            for (String model : new String[] {"sedd", "ar"}) {
                SaveableModel loaded = ModelStore.load(result.runDirectory().resolve("models").resolve(model), manager);
                assertEquals(32, ((GenerativeModel) loaded).sample(manager, 2, SampleOptions.defaults().withSteps(3))
                        .getShape().get(1));
            }
        }
    }
}
