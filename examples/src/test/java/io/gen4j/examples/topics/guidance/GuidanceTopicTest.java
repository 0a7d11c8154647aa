package io.gen4j.examples.topics.guidance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gen4j.examples.testing.StopAfter;
import io.gen4j.examples.testing.SubsetData;
import io.gen4j.examples.topics.Profile;
import io.gen4j.examples.topics.Topic;
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

/** Topic 11-07 end to end with the smoke profile, and a run killed in distillation then resumed. */
class GuidanceTopicTest {

    @Test
    void smokeRunWritesEveryTableAndFigureAndResumesToTheSameNumbers(@TempDir Path tmp) throws Exception {
        Topic topic = Topics.find("11-07").orElseThrow();
        Path data = SubsetData.directory(tmp);
        TopicOptions options = TopicOptions.of(Profile.SMOKE, tmp.resolve("a"), 3L, Optional.of(data))
                .withCheckpointEvery(2);
        TopicResult whole = topic.run(options);
        for (Path f : whole.files()) {
            assertTrue(Files.exists(f), "missing " + f);
        }
        for (String name : new String[] {"training_loss.png", "cfg_w0.png", "cfg_w8.png", "fid_vs_nfe.png",
            "student-4.png", "student-1.png"}) {
            assertTrue(Files.size(whole.runDirectory().resolve("images").resolve(name)) > 100, name);
        }
        String report = Files.readString(whole.runDirectory().resolve("report.md"));
        for (String section : new String[] {"## Classifier-free guidance sweep", "## Samplers: FID against network "
                + "evaluations", "## Progressive distillation", "## Speed and quality"}) {
            assertTrue(report.contains(section), "report lacks " + section);
        }
        Map<String, Double> m = whole.metrics();
        for (String w : new String[] {"0", "1", "2", "4", "8"}) {
            for (String metric : new String[] {"fid", "is", "precision", "recall", "accuracy", "kid", "density",
                "coverage"}) {
                assertTrue(Double.isFinite(m.get("cfg.w" + w + "." + metric)), w + " " + metric);
            }
        }
        assertEquals(1.0, m.get("distill.round3.nfe"));
        for (String key : new String[] {"nfe.ddim.2.fid", "nfe.euler-karras.4.fid", "nfe.heun-karras.3.fid",
            "nfe.dpm-solver++-2m-karras.4.kid", "nfe.heun-trailing.5.fid", "nfe.dpm-solver++-2m-trailing.2.fid"}) {
            assertTrue(Double.isFinite(m.get(key)), key + " in " + m);
        }
        // every measurement in quality.csv: 5 scales, 6 samplers × 2 level counts, the teacher and 3 students
        List<String> csv = Files.readAllLines(whole.runDirectory().resolve("quality.csv"));
        assertEquals("section,method,scale,levels,nfe,fid,kid,kid_std,is,precision,recall,density,coverage,accuracy,"
                + "seconds", csv.get(0));
        assertEquals(1 + 5 + 12 + 1 + 3, csv.size(), String.join("\n", csv));
        // the saved model samples through the CLI, guided, with a σ-space sampler
        Path model = whole.runDirectory().resolve("model");
        Path out = tmp.resolve("guided.npy");
        String[] r = io.gen4j.examples.testing.Cli.run("sample", "--run", whole.runDirectory().toString(), "-n", "4",
                "--guidance", "2", "--class", "3", "--sampler", "dpmpp-2m", "--steps", "3", "--format", "npy",
                "--out", out.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(Files.exists(model.resolve("model.json")) && Files.size(out) > 4 * 28 * 28, r[1]);

        // killed in the second distillation round (6 DDPM steps, then 3 per student), then resumed
        TopicOptions killed = options.withCheckpointEvery(2);
        killed = new TopicOptions(killed.profile(), tmp.resolve("b"), 3L, Optional.of(data), Optional.empty(), 2,
                TopicOptions.DEFAULT_CHECKPOINT_TIME, List.of(), Optional.empty());
        TopicOptions stopping = killed.withListeners(List.of(new StopAfter(11)));
        assertThrows(StopAfter.Stopped.class, () -> topic.run(stopping));
        Path runDir;
        try (var dirs = Files.list(tmp.resolve("b"))) {
            runDir = dirs.findFirst().orElseThrow();
        }
        TopicResult resumed = topic.run(killed.withResume(runDir));
        assertEquals(runDir, resumed.runDirectory());
        for (Map.Entry<String, Double> e : whole.metrics().entrySet()) {
            if (!e.getKey().contains("seconds")) {
                assertEquals(e.getValue(), resumed.metrics().get(e.getKey()), e.getKey());
            }
        }
    }
}
