package io.gen4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Known facts of the committed 500-image Fashion-MNIST test subset (see its README). */
class FashionMnistSubsetTest {

    static Path subsetDirectory() throws URISyntaxException {
        return Paths.get(FashionMnistSubsetTest.class.getResource("/fashion-mnist-subset/README.md").toURI())
                .getParent();
    }

    static ImageDataset load() throws Exception {
        DatasetResolver r = DatasetResolver.builder()
                .optEnvironment(Map.of())
                .optGen4jHome(subsetDirectory().resolve("no-home"))
                .optSystemRoots(List.of())
                .build();
        return r.load(DatasetId.FASHION_MNIST, Split.TEST, subsetDirectory());
    }

    @Test
    void knownFacts() throws Exception {
        ImageDataset ds = load();
        assertEquals(500, ds.size());
        assertEquals(28, ds.height());
        assertEquals(28, ds.width());
        assertEquals("fashion-mnist/test", ds.name());
        assertEquals("Ankle boot", ds.classNames().get(ds.label(0)));
        assertArrayEquals(new int[] {9, 2, 1, 1, 6}, Arrays.copyOf(ds.labels(), 5));
        int[] counts = new int[10];
        for (int l : ds.labels()) {
            counts[l]++;
        }
        assertArrayEquals(new int[] {55, 52, 65, 46, 57, 39, 47, 47, 44, 48}, counts);
        byte[] pixels = ds.pixelBytes();
        long sum = 0;
        int min = 255;
        int max = 0;
        for (byte b : pixels) {
            sum += b & 0xFF;
            min = Math.min(min, b & 0xFF);
            max = Math.max(max, b & 0xFF);
        }
        assertEquals(29494551L, sum);
        assertEquals(0, min);
        assertEquals(255, max);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        assertEquals("00cc52584679205ab764cf9e1e98915407f8bb5a0ab0bd054345f1805679a298",
                HexFormat.of().formatHex(sha.digest(pixels)));
    }
}
