package io.gen4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Holding out a test split: every image lands in exactly one set, reproducibly. */
class TrainTestTest {

    /** 20 images 1x1x1 whose only pixel is their index. */
    private static ImageDataset numbered() {
        byte[] px = new byte[20];
        for (int i = 0; i < 20; i++) {
            px[i] = (byte) i;
        }
        return new ImageDataset("n", 1, 1, 1, px, new int[20], List.of("x"));
    }

    private static int[] pixels(ImageDataset d) {
        return IntStream.range(0, d.size()).map(i -> d.pixel(i, 0, 0, 0)).toArray();
    }

    @Test
    void partitionsTheImagesInASeededRandomOrder() {
        TrainTest s = TrainTest.holdOut(numbered(), 0.1, 4);
        assertEquals(2, s.test().size());
        assertEquals(18, s.train().size());
        int[] all = IntStream.concat(Arrays.stream(pixels(s.train())), Arrays.stream(pixels(s.test()))).sorted()
                .toArray();
        assertArrayEquals(IntStream.range(0, 20).toArray(), all);
        int[] train = pixels(s.train());
        // shuffled: not the reading order, and the same for the same seed
        assertFalse(Arrays.equals(Arrays.stream(train).sorted().toArray(), train));
        assertArrayEquals(train, pixels(TrainTest.holdOut(numbered(), 2, 4).train()));
        assertArrayEquals(pixels(s.test()), pixels(TrainTest.holdOut(numbered(), 2, 4).test()));
        assertThrows(IllegalArgumentException.class, () -> TrainTest.holdOut(numbered(), 20, 0));
        assertThrows(IllegalArgumentException.class, () -> TrainTest.holdOut(numbered(), 1.0, 0));
    }
}
