package io.gen4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.ImageFolderFixture;
import io.gen4j.examples.testing.Cli;
import io.gen4j.examples.topics.TopicData;
import io.gen4j.examples.topics.ddpm.DdpmRun;
import io.gen4j.examples.topics.ddpm.DdpmRunConfig;
import java.util.Optional;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's own images through every command: a generated labelled ImageFolder (10 classes of
 * 28x28 gray PNGs; 32x32 RGB JPEGs) trains the quickstart for a few steps, is sampled, trains the
 * evaluation classifier and is the real reference of {@code eval}; broken inputs end in one line
 * and exit code 2.
 */
class ImageFolderCliTest {

    @TempDir Path dir;

    private static Path runDirectory(Path out) throws IOException {
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    private static void ok(String[] r) {
        assertEquals("0", r[0], r[1] + r[2]);
    }

    @Test
    void quickstartSampleAndEvalOnAGrayPngFolder() throws IOException {
        Path root = ImageFolderFixture.write(dir.resolve("root"), 10, 20, 28, false, 7);
        Path cnn = dir.resolve("folder-cnn.bin");
        String[] train = Cli.run("eval", "train-classifier", "--data", root.toString(), "--out", cnn.toString(),
                "--epochs", "4", "--batch-size", "16");
        ok(train);
        assertTrue(train[1].contains("10 classes, 20 held out"), train[1]);

        Path out = dir.resolve("runs");
        String[] quick = Cli.run("quickstart", "--data", root.toString(), "--steps", "3", "--quality-samples", "8",
                "--out", out.toString());
        ok(quick);
        Path run = runDirectory(out);
        JsonNode config = new ObjectMapper().readTree(run.resolve("config.json").toFile());
        String settings = config.toString();
        assertTrue(settings.contains("root (180 training images 1x28x28, 10 classes: class-0"), settings);
        String report = Files.readString(run.resolve("report.md"));
        assertTrue(report.contains("the image folder " + root), report);
        assertTrue(report.contains("20 images held out"), report);

        Path samples = dir.resolve("samples");
        ok(Cli.run("sample", "--run", run.toString(), "-n", "12", "--steps", "2", "--format", "png", "--out",
                samples.toString()));
        String[] eval = Cli.run("eval", "--real", root.toString(), "--fake", samples.toString(), "--metrics", "fid,kid",
                "--no-floor", "--extractor", "classifier", "--classifier", cnn.toString());
        ok(eval);
        assertTrue(eval[1].contains("real: " + root + " (ImageSet[200 x 1 x 28 x 28]"), eval[1]);
        assertTrue(eval[1].contains("10 classes (sub-folders class-0, class-1"), eval[1]);
        assertTrue(eval[1].contains("FID-folder-cnn") || eval[1].contains("FID-root-cnn"), eval[1]);

        // the folder against itself, its sub-folders as intended classes: the classifier's accuracy
        String[] self = Cli.run("eval", "--real", root.toString(), "--fake", root.toString(), "--metrics", "fid",
                "--no-floor", "--extractor", "classifier", "--classifier", cnn.toString());
        ok(self);
        assertTrue(self[1].contains("--fake labels: from its 10 sub-folders"), self[1]);
        String line = self[1].lines().filter(l -> l.startsWith("class accuracy")).findFirst().orElseThrow();
        double accuracy = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        // the squares sit at ten different places: a trained classifier sorts nearly all 200
        assertTrue(accuracy > 0.8, line);
    }

    @Test
    void rgbJpegFolderSetsTheModelShapeAndThePreprocessingResizesIt() throws Exception {
        Path root = ImageFolderFixture.write(dir.resolve("jpeg"), 3, 4, 32, true, 8);
        // without options the model takes the images' own shape
        TopicData data = DdpmRun.loadData(DatasetId.FASHION_MNIST, Optional.of(root), 0, Optional.empty());
        DdpmRunConfig native32 = DdpmRunConfig.quickstart(2).withData(data, Optional.empty());
        assertTrue(native32.data().equals("jpeg (10 training images 3x32x32, 3 classes: class-0, class-1, class-2)"),
                native32.data());
        assertEquals(3, native32.unet().inChannels());
        assertEquals(3, native32.unet().outChannels());

        Path out = dir.resolve("runs");
        ok(Cli.run("quickstart", "--data", root.toString(), "--steps", "2", "--quality-samples", "4",
                "--image-size", "28", "--channels", "1", "--hflip", "--out", out.toString()));
        String config = Files.readString(runDirectory(out).resolve("config.json"));
        assertTrue(config.contains("jpeg (10 training images 1x28x28, 3 classes"), config);
        assertTrue(config.contains("read: resize(28) -> center-crop(28) -> grayscale; per batch: "
                + "horizontal-flip(p=0.5); pixels: [-1, 1]"), config);
        String[] bad = Cli.run("quickstart", "--data", root.toString(), "--channels", "2", "--out", out.toString());
        assertEquals("2", bad[0], bad[1] + bad[2]);
        assertTrue(bad[2].startsWith("--channels must be 1 or 3, got 2"), bad[2]);
    }

    @Test
    void evalAndTrainClassifierTakeTheSamePreprocessingOptionsAndRecordThem() throws IOException {
        Path root = ImageFolderFixture.write(dir.resolve("rgb"), 10, 20, 32, true, 11);
        Path cnn = dir.resolve("rgb-cnn.bin");
        String[] train = Cli.run("eval", "train-classifier", "--data", root.toString(), "--out", cnn.toString(),
                "--epochs", "4", "--batch-size", "16", "--image-size", "28", "--channels", "1");
        ok(train);
        assertTrue(train[1].contains("test accuracy"), train[1]);

        // 3x32x32 images against a 1x28x28 classifier: refused without the options ...
        String[] raw = Cli.run("eval", "--real", root.toString(), "--fake", root.toString(), "--metrics", "fid",
                "--no-floor", "--extractor", "classifier", "--classifier", cnn.toString());
        assertEquals("2", raw[0], raw[1] + raw[2]);
        assertTrue(raw[2].contains("images are 3x32x32 (CxHxW), but the classifier"), raw[2]);

        // ... and read through the same resize, crop and conversion with them, recorded in the report
        Path out = dir.resolve("eval");
        String[] eval = Cli.run("eval", "--real", root.toString(), "--fake", root.toString(), "--metrics", "fid",
                "--no-floor", "--extractor", "classifier", "--classifier", cnn.toString(), "--image-size", "28",
                "--channels", "1", "--out", out.toString());
        ok(eval);
        String done = "preprocessed: resize(28) -> center-crop(28) -> grayscale";
        assertTrue(eval[1].contains("real: " + root + " (ImageSet[200 x 1 x 28 x 28]"), eval[1]);
        assertEquals(2, eval[1].lines().filter(l -> l.contains(done)).count(), eval[1]); // real and fake lines
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains(done), report);
        // the same images on both sides, through the same transform: FID of a set against itself is 0
        String fid = eval[1].lines().filter(l -> l.startsWith("FID")).findFirst().orElseThrow();
        double value = Double.parseDouble(fid.substring(fid.indexOf(" = ") + 3, fid.indexOf(" (")));
        assertTrue(Math.abs(value) < 1e-3, fid);

        String[] bad = Cli.run("eval", "--real", root.toString(), "--fake", root.toString(), "--classifier",
                cnn.toString(), "--image-size", "2");
        assertEquals("2", bad[0], bad[1] + bad[2]);
        assertTrue(bad[2].startsWith("--image-size must be in [4, 1024], got 2"), bad[2]);
    }

    @Test
    void brokenInputsEndInOneLineAndExitCode2() throws IOException {
        Path root = ImageFolderFixture.write(dir.resolve("root"), 2, 2, 28, false, 9);
        Path broken = root.resolve("class-1").resolve("zz-broken.png");
        Files.write(broken, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3});
        String[] quick = Cli.run("quickstart", "--data", root.toString(), "--steps", "2", "--out",
                dir.resolve("runs").toString());
        assertEquals("2", quick[0], quick[1] + quick[2]);
        assertTrue(quick[2].startsWith(broken.toString()), quick[2]);
        assertEquals(1, quick[2].strip().lines().count(), quick[2]);
        assertFalse(Files.exists(dir.resolve("runs")) && Files.list(dir.resolve("runs")).findAny().isPresent(),
                "a run directory was made for unreadable data");

        String[] eval = Cli.run("eval", "--real", root.toString(), "--fake", root.toString(), "--classifier",
                dir.resolve("none.bin").toString());
        assertEquals("2", eval[0]);

        Path nothing = Files.createDirectories(dir.resolve("nothing"));
        Files.writeString(nothing.resolve("readme.txt"), "no images here");
        String[] empty = Cli.run("quickstart", "--data", nothing.toString(), "--steps", "2", "--out",
                dir.resolve("runs").toString());
        assertEquals("2", empty[0], empty[1] + empty[2]);
        assertTrue(empty[2].contains("holds no image data"), empty[2]);

        Path cnn = dir.resolve("x-cnn.bin");
        String[] flat = Cli.run("eval", "train-classifier", "--data", root.resolve("class-0").toString(), "--out",
                cnn.toString());
        assertEquals("2", flat[0], flat[1] + flat[2]);
        assertTrue(flat[2].contains("at least two classes"), flat[2]);
    }

    @Test
    void evalNamesTheFileThatDoesNotDecode() throws IOException {
        Path root = ImageFolderFixture.write(dir.resolve("root"), 2, 2, 28, false, 10);
        Path samples = ImageFolderFixture.write(dir.resolve("samples"), 1, 3, 28, false, 11);
        // the images are read before the classifier is opened: any existing file will do here
        Path cnn = Files.writeString(dir.resolve("c.bin"), "not read");
        Path bad = root.resolve("class-0").resolve("bad.jpg");
        Files.write(bad, new byte[] {1, 2, 3, 4});
        String[] eval = Cli.run("eval", "--real", root.toString(), "--fake", samples.toString(), "--metrics", "fid",
                "--no-floor", "--classifier", cnn.toString());
        assertEquals("2", eval[0], eval[1] + eval[2]);
        assertTrue(eval[2].startsWith(bad.toString()), eval[2]);
        assertEquals(1, eval[2].strip().lines().count(), eval[2]);
    }
}
