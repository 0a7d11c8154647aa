package io.gen4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gen4j.core.data.ImageFolderFixture;
import io.gen4j.examples.testing.Cli;
import io.gen4j.examples.topics.Topic;
import io.gen4j.examples.topics.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each topic does with {@code --data}: a topic that cannot use an image folder, or a
 * preprocessing option it would ignore, is refused in one line with exit code 2 before the engine
 * starts; a class-conditional topic takes its classes from the folder's sub-folders.
 */
class TopicDataUseTest {

    @TempDir Path dir;

    private static String[] refused(String... args) {
        String[] r = Cli.run(args);
        assertEquals("2", r[0], r[1] + r[2]);
        return r;
    }

    @Test
    void everyTopicHasAKnownUseOfData() {
        for (Topic t : Topics.all()) {
            TopicCommand.DataUse use = TopicCommand.dataUse(t.id());
            assertTrue(use != null, t.id());
        }
        assertEquals(TopicCommand.DataUse.IMAGES_ANY_SHAPE, TopicCommand.dataUse("11-05"));
        assertEquals(TopicCommand.DataUse.TEXT, TopicCommand.dataUse("11-05-sedd"));
        assertEquals(TopicCommand.DataUse.LABELLED_IMAGES_28_GRAY, TopicCommand.dataUse("11-04"));
        assertEquals(TopicCommand.DataUse.LABELLED_IMAGES_28_GRAY, TopicCommand.dataUse("11-07"));
        assertEquals(TopicCommand.DataUse.FASHION_MNIST_ONLY, TopicCommand.dataUse("11-06"));
    }

    @Test
    void foldersAndOptionsATopicCannotUseAreRefusedInOneLine() throws IOException {
        Path rgb = ImageFolderFixture.write(dir.resolve("rgb"), 3, 4, 64, true, 3);
        Path flat = rgb.resolve("class-0");
        Path out = dir.resolve("runs");

        String[] resize = refused("topic", "11-03", "--data", rgb.toString(), "--image-size", "64", "--out", out.toString());
        assertTrue(resize[2].contains("--image-size, --crop, --channels and --hflip apply to topic 11-05 and quickstart"),
                resize[2]);
        assertTrue(resize[2].contains("topic 11-03 has fixed 1x28x28 gray models"), resize[2]);
        refused("topic", "11-10", "--hflip", "--out", out.toString());

        String[] oneClass = refused("topic", "11-04", "--data", flat.toString(), "--out", out.toString());
        assertTrue(oneClass[2].contains("topic 11-04 is class-conditional and takes its classes from the sub-folders; "
                + "this folder has 1 class"), oneClass[2]);
        assertTrue(refused("topic", "11-07", "--data", flat.toString(), "--out", out.toString())[2]
                .contains("class-conditional"));

        String[] captions = refused("topic", "11-06", "--data", rgb.toString(), "--out", out.toString());
        assertTrue(captions[2].contains("captions its images with FashionMNIST's class names"), captions[2]);

        String[] text = refused("topic", "11-05-sedd", "--data", rgb.toString(), "--out", out.toString());
        assertTrue(text[2].contains("topic 11-05-sedd trains on text; give a UTF-8 text file, not a folder"), text[2]);
        assertTrue(refused("topic", "11-05-sedd", "--data", dir.resolve("missing.txt").toString(), "--out",
                out.toString())[2].contains("give a UTF-8 text file"));
        assertTrue(Files.notExists(out), "nothing was written");
    }

    @Test
    void aConditionalTopicTakesItsClassesFromTheFolder() throws IOException {
        // 3 classes of 64x64 RGB JPEGs: brought to 1x28x28 gray, the sub-folders are the labels
        Path rgb = ImageFolderFixture.write(dir.resolve("rgb"), 3, 60, 64, true, 4);
        Path out = dir.resolve("runs");
        String[] r = Cli.run("topic", "11-04", "--profile", "smoke", "--data", rgb.toString(), "--out", out.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        Path run;
        try (Stream<Path> s = Files.list(out)) {
            run = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        String report = Files.readString(run.resolve("report.md"));
        assertTrue(report.contains("3 classes from its sub-folders (class-0, class-1, class-2)"), report);
        assertTrue(report.contains("1x28x28") || report.contains("images 1x28x28"), report);
    }
}
