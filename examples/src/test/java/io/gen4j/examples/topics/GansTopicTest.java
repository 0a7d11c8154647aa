package io.gen4j.examples.topics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gen4j.core.data.ImageFolderFixture;
import io.gen4j.core.io.ModelStore;
import io.gen4j.examples.testing.StopAfter;
import io.gen4j.gans.Conditioning;
import io.gen4j.gans.GanPreset;
import io.gen4j.examples.testing.SubsetData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smoke runs of topics 11-03 and 11-04 (every figure and model written, every metric finite), and a
 * killed-and-resumed run of each that ends as the uninterrupted one.
 */
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

    @Test
    void theConditionalTopicOnASmallImageFolderSkipsClassesWithTooFewTestImages(@TempDir Path tmp) throws Exception {
        // 10 classes of 12 images: 12 are held out as the test split, so some classes have 0 or 1 test
        // images, where a per-class covariance (FID) cannot be formed. Before: "covariance needs N >= 2".
        Path folder = ImageFolderFixture.write(tmp.resolve("folder"), 10, 12, 28, false, 5);
        TopicResult r = Topics.find("11-04").orElseThrow()
                .run(TopicOptions.of(Profile.SMOKE, tmp.resolve("runs"), 0L, Optional.of(folder)));
        String report = Files.readString(r.runDirectory().resolve("report.md"));
        assertTrue(report.contains("| n/a |"), report);
        assertTrue(report.contains("too few for a covariance"), report);
        for (String model : new String[] {"cgan-concat", "cgan-projection", "cvae"}) {
            double accuracy = r.metrics().get(model + ".classAccuracy");
            assertTrue(accuracy >= 0 && accuracy <= 1, model + " " + accuracy);
            assertTrue(Double.isFinite(r.metrics().get(model + ".fid")), model);
        }
    }

    @Test
    void theCpuProfilesTrainGenGansPresetsUnchanged() {
        GansTopic.Settings s = GansTopic.Settings.of(Profile.CPU);
        assertEquals(GanPreset.dcganFashionMnist(), s.dcgans().get("dcgan-non-saturating"));
        assertEquals(GanPreset.dcganFashionMnistHingeSpectralNorm(), s.dcgans().get("dcgan-hinge-sn"));
        assertEquals(GanPreset.dcganFashionMnistWganGp(), s.dcgans().get("dcgan-wgan-gp"));
        assertEquals(GanPreset.ring2d(), GansTopic.ring(GanPreset.ring2d(), s.toys(), s.toys().steps()));
        assertEquals(GanPreset.ring2dWganGp(), GansTopic.ring(GanPreset.ring2dWganGp(), s.toys(), 2 * s.toys().steps()));
        ConditionalTopic.Settings c = ConditionalTopic.Settings.of(Profile.CPU);
        assertEquals(GanPreset.conditionalFashionMnist(Conditioning.CONCAT), c.cgans().get("cgan-concat"));
        assertEquals(GanPreset.conditionalFashionMnist(Conditioning.PROJECTION), c.cgans().get("cgan-projection"));
    }

    @Test
    void perClassFidIsNanExactlyForClassesWithFewerThanTwoImages() {
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            java.util.Random random = new java.util.Random(3);
            double[][] rows = new double[8][3];
            for (double[] row : rows) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = random.nextGaussian();
                }
            }
            io.gen4j.eval.Features f = io.gen4j.eval.Features.of(rows);
            int[] realLabels = {0, 0, 0, 1, 2, 2, 2, 2}; // class 1: one image; class 3: none
            int[] fakeLabels = {0, 0, 1, 1, 2, 2, 3, 3};
            double[] fid = GansTopicMetrics.perClassFid(f, realLabels, f, fakeLabels, 4, m);
            assertTrue(Double.isFinite(fid[0]) && fid[0] >= 0, "class 0: " + fid[0]);
            assertTrue(Double.isNaN(fid[1]), "class 1 has one real image: " + fid[1]);
            assertTrue(Double.isFinite(fid[2]) && fid[2] >= 0, "class 2: " + fid[2]);
            assertTrue(Double.isNaN(fid[3]), "class 3 has no real image: " + fid[3]);
            assertEquals((fid[0] + fid[2]) / 2, GansTopicMetrics.meanOfMeasured(fid), 1e-12);
        }
    }

    /**
     * Runs a topic whole, then again killed after {@code stopAfter} steps (inside its second training)
     * and resumed: same metrics (times aside), same model files and training logs.
     */
    private static void resumeEqualsUninterrupted(String id, long stopAfter, List<String> models, List<String> logs,
            Path tmp) throws Exception {
        Topic topic = Topics.find(id).orElseThrow();
        Path data = SubsetData.directory(tmp);
        TopicResult whole = topic.run(TopicOptions.of(Profile.SMOKE, tmp.resolve("a"), 4L, Optional.of(data))
                .withCheckpointEvery(3));
        TopicOptions killed = TopicOptions.of(Profile.SMOKE, tmp.resolve("b"), 4L, Optional.of(data))
                .withCheckpointEvery(3);
        assertThrows(StopAfter.Stopped.class, () -> topic.run(killed.withListeners(List.of(new StopAfter(stopAfter)))));
        Path runDir;
        try (var dirs = Files.list(tmp.resolve("b"))) {
            runDir = dirs.findFirst().orElseThrow();
        }
        assertTrue(Files.isDirectory(runDir.resolve("checkpoints")));
        TopicResult resumed = topic.run(killed.withResume(runDir));

        assertEquals(runDir, resumed.runDirectory());
        assertEquals(whole.metrics().keySet(), resumed.metrics().keySet());
        for (Map.Entry<String, Double> m : whole.metrics().entrySet()) {
            if (!m.getKey().endsWith("Seconds")) {
                assertEquals(m.getValue(), resumed.metrics().get(m.getKey()), m.getKey());
            }
        }
        for (String model : models) {
            Path a = whole.runDirectory().resolve("models").resolve(model);
            Path b = resumed.runDirectory().resolve("models").resolve(model);
            try (var files = Files.list(a)) {
                for (Path f : files.toList()) {
                    assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(b.resolve(f.getFileName())),
                            model + "/" + f.getFileName());
                }
            }
        }
        for (String log : logs) {
            assertEquals(Files.readString(whole.runDirectory().resolve("training").resolve(log)),
                    Files.readString(resumed.runDirectory().resolve("training").resolve(log)), log);
        }
    }

    @Test
    void aKilledGanTopicRunResumedEndsAsTheUninterruptedOne(@TempDir Path tmp) throws Exception {
        // the first toy training ("game") has 40 smoke steps: stop inside the second ("collapse")
        resumeEqualsUninterrupted("11-03", 55, List.of("dcgan-non-saturating", "dcgan-hinge-sn", "dcgan-wgan-gp"),
                List.of("game.csv", "collapse.csv", "wgan-gp.csv", "dcgan-wgan-gp.csv"), tmp);
    }

    @Test
    void aKilledConditionalTopicRunResumedEndsAsTheUninterruptedOne(@TempDir Path tmp) throws Exception {
        // the concatenation cGAN trains 6 smoke steps: stop inside the projection cGAN
        resumeEqualsUninterrupted("11-04", 9, List.of("cgan-concat", "cgan-projection", "cvae"),
                List.of("cgan-concat.csv", "cgan-projection.csv", "cvae.csv"), tmp);
    }
}
