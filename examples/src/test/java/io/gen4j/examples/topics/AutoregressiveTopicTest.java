package io.gen4j.examples.topics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gen4j.examples.testing.SubsetData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutoregressiveTopicTest {

    @Test
    void smokeRunWritesEveryFigureAndFiniteMetrics(@TempDir Path tmp) throws Exception {
        Topic topic = Topics.find("11-10").orElseThrow();
        TopicResult r = topic.run(TopicOptions.of(Profile.SMOKE, tmp, 0L, Optional.of(SubsetData.directory(tmp))));
        for (Path f : r.files()) {
            assertTrue(Files.exists(f), "missing: " + f);
        }
        for (String name : new String[] {"made-masks.png", "made-samples.png", "pixelcnn-samples.png",
            "wavenet-waveform.png", "wavenet-spectrogram.png", "wavenet-sample.wav"}) {
            assertTrue(Files.size(r.runDirectory().resolve("images").resolve(name)) > 0, name);
        }
        for (Map.Entry<String, Double> m : r.metrics().entrySet()) {
            assertTrue(Double.isFinite(m.getValue()), m.getKey() + " = " + m.getValue());
        }
        for (String key : new String[] {"made.testNll", "pixelcnn.testNll", "wavenet.naiveSeconds",
            "wavenet.cachedSeconds", "wavenet.naiveLongSeconds", "wavenet.cachedLongSeconds", "threeModelsSeconds"}) {
            assertTrue(r.metrics().containsKey(key), key);
        }
        assertFalse(r.metrics().keySet().stream().anyMatch(k -> k.startsWith("compare")), "the comparison is `compare`");
    }

    @Test
    void comparisonSmokeRunHasEveryFamilyInTheTable(@TempDir Path tmp) throws Exception {
        TopicResult r = new ComparisonTopic().run(TopicOptions.of(Profile.SMOKE, tmp, 0L,
                Optional.of(SubsetData.directory(tmp))));
        assertTrue(r.runDirectory().getFileName().toString().startsWith(ComparisonTopic.RUN_NAME));
        assertTrue(Files.size(r.runDirectory().resolve("images").resolve("comparison-samples.png")) > 0);
        for (Map.Entry<String, Double> m : r.metrics().entrySet()) {
            assertTrue(Double.isFinite(m.getValue()), m.getKey() + " = " + m.getValue());
        }
        String report = Files.readString(r.runDirectory().resolve("report.md"));
        for (String family : new String[] {"| vae | bound", "| realnvp | exact", "| ddpm | bound", "| made | exact",
            "| pixelcnn | exact", "| flow-matching | bound", "| dcgan | none"}) {
            assertTrue(report.contains(family), family + " missing from the table:\n" + report);
        }
        assertTrue(r.metrics().containsKey("dcgan.fid") && !r.metrics().containsKey("dcgan.nll"));
        assertTrue(r.metrics().containsKey("made.nll") && r.metrics().containsKey("pixelcnn.nll"));
    }
}
