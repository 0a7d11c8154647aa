package io.gen4j.examples.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
            "wavenet-waveform.png", "wavenet-spectrogram.png", "wavenet-sample.wav", "comparison-samples.png"}) {
            assertTrue(Files.size(r.runDirectory().resolve("images").resolve(name)) > 0, name);
        }
        for (Map.Entry<String, Double> m : r.metrics().entrySet()) {
            assertTrue(Double.isFinite(m.getValue()), m.getKey() + " = " + m.getValue());
        }
        String report = Files.readString(r.runDirectory().resolve("report.md"));
        for (String family : new String[] {"| vae | bound", "| realnvp | exact", "| ddpm | bound", "| made | exact",
            "| pixelcnn | exact", "| flow-matching | bound", "| dcgan | none"}) {
            assertTrue(report.contains(family), family + " missing from the table:\n" + report);
        }
        assertTrue(r.metrics().containsKey("compare.dcgan.fid") && !r.metrics().containsKey("compare.dcgan.nll"));
        // the comparison reuses the topic's MADE: the same NLL
        assertEquals(r.metrics().get("made.testNll"), r.metrics().get("compare.made.nll"), 1e-9);
    }
}
