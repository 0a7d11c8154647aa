package io.gen4j.examples.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gen4j.core.io.ModelStore;
import io.gen4j.examples.testing.SubsetData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke runs of topics 11-03 and 11-04: every figure and model written, every metric finite. */
class GansTopicTest {

    private static TopicResult smoke(String id, Path tmp) throws Exception {
        Topic topic = Topics.find(id).orElseThrow();
        assertEquals(id, topic.id());
        TopicResult r = topic.run(TopicOptions.of(Profile.SMOKE, tmp, 0L, Optional.of(SubsetData.directory(tmp))));
        for (Path f : r.files()) {
            assertTrue(Files.isRegularFile(f) && Files.size(f) > 0, "missing or empty: " + f);
        }
        for (Map.Entry<String, Double> m : r.metrics().entrySet()) {
            assertTrue(Double.isFinite(m.getValue()), m.getKey() + " = " + m.getValue());
        }
        return r;
    }

    @Test
    void ganTopicSmokeRun(@TempDir Path tmp) throws Exception {
        TopicResult r = smoke("11-03", tmp);
        for (String name : new String[] {"game.png", "mode-coverage.png", "d-dominates-losses.png",
            "d-dominates-gradients.png", "dcgan-progress.png"}) {
            assertTrue(Files.isRegularFile(r.runDirectory().resolve("images").resolve(name)), name);
        }
        assertTrue(Files.readString(r.runDirectory().resolve("report.md")).contains("modes covered"));
        assertTrue(r.metrics().get("ring.wgan-gp.modes") >= 0 && r.metrics().get("ring.wgan-gp.modes") <= 8);
        assertTrue(r.metrics().get("dcgan-non-saturating.classEntropy") <= Math.log(10) + 1e-9);
        assertEquals("gan", ModelStore.readSpec(r.runDirectory().resolve("models").resolve("dcgan-hinge-sn")).family());
    }

    @Test
    void conditionalTopicSmokeRun(@TempDir Path tmp) throws Exception {
        TopicResult r = smoke("11-04", tmp);
        for (String name : new String[] {"cgan-concat-classes.png", "cgan-projection-classes.png",
            "cvae-classes.png"}) {
            assertTrue(Files.isRegularFile(r.runDirectory().resolve("images").resolve(name)), name);
        }
        for (String model : new String[] {"cgan-concat", "cgan-projection", "cvae"}) {
            double accuracy = r.metrics().get(model + ".classAccuracy");
            assertTrue(accuracy >= 0 && accuracy <= 1, model + " " + accuracy);
        }
        assertTrue(Files.readString(r.runDirectory().resolve("report.md")).contains("class accuracy"));
    }
}
