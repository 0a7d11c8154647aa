package io.gen4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Known facts of the committed Fashion-MNIST subset, 600 training and 500 test images (see its README). */
class FashionMnistSubsetTest {

    static Path subsetDirectory() throws URISyntaxException {
        return Paths.get(FashionMnistSubsetTest.class.getResource("/fashion-mnist-subset/README.md").toURI())
                .getParent();
    }

    static ImageDataset load() throws Exception {
        return load(Split.TEST);
    }

    static ImageDataset load(Split split) throws Exception {
        DatasetResolver r = DatasetResolver.builder()
                .optEnvironment(Map.of())
                .optGen4jHome(subsetDirectory().resolve("no-home"))
                .optSystemRoots(List.of())
                .build();
        return r.load(DatasetId.FASHION_MNIST, split, subsetDirectory());
    }

    @Test
    void knownFacts() throws Exception {
        assertFacts(load(), 500, "fashion-mnist/test", new int[] {9, 2, 1, 1, 6},
                new int[] {55, 52, 65, 46, 57, 39, 47, 47, 44, 48}, 29494551L,
                "00cc52584679205ab764cf9e1e98915407f8bb5a0ab0bd054345f1805679a298");
    }

    @Test
    void knownFactsOfTheTrainingPart() throws Exception {
        assertFacts(load(Split.TRAIN), 600, "fashion-mnist/train", new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5},
                new int[] {62, 66, 57, 58, 59, 58, 66, 61, 58, 55}, 34277080L,
                "dc1b974210a9d78df4bfb02196e760d3e8cad20d53a0e35be614745b1f32ae51");
    }

    @Test
    void licenceAndReadmeTravelWithTheImages() throws Exception {
        String licence = java.nio.file.Files.readString(subsetDirectory().resolve("LICENSE"));
        assertTrue(licence.contains("The MIT License") && licence.contains("Zalando SE"), licence);
        String readme = java.nio.file.Files.readString(subsetDirectory().resolve("README.md"));
        assertTrue(readme.contains("first 600") && readme.contains("first 500"), readme);
    }

    private static void assertFacts(ImageDataset ds, int size, String name, int[] firstLabels, int[] classCounts,
            long pixelSum, String sha256) throws Exception {
        assertEquals(size, ds.size());
        assertEquals(28, ds.height());
        assertEquals(28, ds.width());
        assertEquals(name, ds.name());
        assertEquals("Ankle boot", ds.classNames().get(ds.label(0)));
        assertArrayEquals(firstLabels, Arrays.copyOf(ds.labels(), firstLabels.length));
        int[] counts = new int[10];
        for (int l : ds.labels()) {
            counts[l]++;
        }
        assertArrayEquals(classCounts, counts);
        byte[] pixels = ds.pixelBytes();
        long sum = 0;
        int min = 255;
        int max = 0;
        for (byte b : pixels) {
            sum += b & 0xFF;
            min = Math.min(min, b & 0xFF);
            max = Math.max(max, b & 0xFF);
        }
        assertEquals(pixelSum, sum);
        assertEquals(0, min);
        assertEquals(255, max);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        assertEquals(sha256, HexFormat.of().formatHex(sha.digest(pixels)));
    }
}
