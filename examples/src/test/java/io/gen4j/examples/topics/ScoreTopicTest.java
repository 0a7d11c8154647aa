package io.gen4j.examples.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gen4j.examples.testing.SubsetData;
import io.gen4j.score.ScorePresets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The smoke profile of topic 11-09 writes every figure and finite metrics. */
class ScoreTopicTest {

    @Test
    void smokeRunWritesEveryFigureAndFiniteMetrics(@TempDir Path tmp) throws Exception {
        Topic topic = Topics.find("11-09").orElseThrow();
        assertEquals("11-09", topic.id());
        TopicResult r = topic.run(TopicOptions.of(Profile.SMOKE, tmp, 0L, Optional.of(SubsetData.directory(tmp))));
        for (Path f : r.files()) {
            assertTrue(Files.isRegularFile(f) && Files.size(f) > 0, "missing or empty: " + f);
        }
        for (String name : new String[] {"moons-fm-samples.png", "moons-ebm.png", "eight-gaussians-ebm.png",
            "checkerboard-fm-samples.png", "moons-score-model.png", "eight-gaussians-reflow.png",
            "images-1rf-steps.png", "images-2rf-steps.png", "images-ncsn.png"}) {
            assertTrue(Files.isRegularFile(r.runDirectory().resolve("images").resolve(name)), name);
        }
        String report = Files.readString(r.runDirectory().resolve("report.md"));
        assertTrue(report.contains("oracle entropy") && report.contains("2-RF"), report);
        for (Map.Entry<String, Double> m : r.metrics().entrySet()) {
            assertTrue(Double.isFinite(m.getValue()), m.getKey() + " = " + m.getValue());
        }
        assertTrue(r.metrics().get("images.bitsPerDim") > 0);
        assertTrue(Files.isRegularFile(r.runDirectory().resolve("models/flow-matching-images-2rf/model.json")));
        assertTrue(r.metrics().get("images.ncsn.bitsPerDim") > 0);
        assertTrue(report.contains("annealed Langevin") && report.contains("predictor–corrector"), report);
        assertTrue(Files.isRegularFile(r.runDirectory().resolve("models/ncsn-images/model.json")));
    }

    @Test
    void theCpuProfileTrainsWithGenScoresPresets() {
        ScoreTopic.Settings s = ScoreTopic.settings(Profile.CPU, 0);
        assertEquals(ScorePresets.flowMatching2d(), s.toySettings().fm());
        assertEquals(ScorePresets.ncsn2d(), s.toySettings().ncsn());
        assertEquals(ScorePresets.ebm2d(), s.toySettings().ebm());
        assertEquals(ScorePresets.flowMatchingFashionMnist(), s.imageSettings().fm());
        assertEquals(ScorePresets.ncsnFashionMnist(), s.imageSettings().ncsn());
    }
}
