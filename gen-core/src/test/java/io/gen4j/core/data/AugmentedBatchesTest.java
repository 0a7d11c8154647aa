package io.gen4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.transform.CenterCrop;
import io.gen4j.core.data.transform.HorizontalFlip;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-batch augmentation: a pure function of the position, applied to every image. */
class AugmentedBatchesTest {

    /** 6 images 1x1x3 holding (i, 10 + i, 20 + i): a flip gives (20 + i, 10 + i, i). */
    private static ImageDataset rows() {
        byte[] p = new byte[6 * 3];
        for (int i = 0; i < 6; i++) {
            p[3 * i] = (byte) i;
            p[3 * i + 1] = (byte) (10 + i);
            p[3 * i + 2] = (byte) (20 + i);
        }
        return new ImageDataset("rows", 1, 1, 3, p, new int[6], List.of("x"));
    }

    @Test
    void flipEveryImageAndSeekExactly() {
        ImageDataset ds = rows();
        try (NDManager m = NDManager.newBaseManager()) {
            ShuffledBatches plain = ds.batches(4, 3, true, PixelRange.BYTE);
            ShuffledBatches flipped = ds.batches(4, 3, true, PixelRange.BYTE).withAugmentation(new HorizontalFlip(1));
            for (int p = 0; p < 3; p++) {
                float[] a = plain.next(m).get(0).toFloatArray();
                float[] b = flipped.next(m).get(0).toFloatArray();
                for (int k = 0; k < 4; k++) {
                    assertArrayEquals(new float[] {a[3 * k + 2], a[3 * k + 1], a[3 * k]},
                            new float[] {b[3 * k], b[3 * k + 1], b[3 * k + 2]});
                }
            }
            // a coin flip per image: seeking back gives the same coins
            ShuffledBatches coin = ds.batches(4, 3, true, PixelRange.BYTE).withAugmentation(HorizontalFlip.random());
            float[][] first = new float[4][];
            for (int p = 0; p < 4; p++) {
                first[p] = coin.next(m).get(0).toFloatArray();
            }
            coin.seek(2);
            assertArrayEquals(first[2], coin.next(m).get(0).toFloatArray());
            // over 16 images some were flipped and some not
            int flips = 0;
            int total = 0;
            ShuffledBatches ref = ds.batches(4, 3, true, PixelRange.BYTE);
            for (int p = 0; p < 4; p++) {
                float[] a = ref.next(m).get(0).toFloatArray();
                for (int k = 0; k < 4; k++) {
                    flips += first[p][3 * k] != a[3 * k] ? 1 : 0;
                    total++;
                }
            }
            assertTrue(flips > 0 && flips < total, flips + " of " + total + " flipped");
            NDList unchanged = ds.batches(4, 3, true, PixelRange.BYTE)
                    .withAugmentation(io.gen4j.core.data.transform.ImageTransform.identity()).next(m);
            assertArrayEquals(ds.batches(4, 3, true, PixelRange.BYTE).next(m).get(0).toFloatArray(),
                    unchanged.get(0).toFloatArray());
            ShuffledBatches shrinking = ds.batches(4, 3, true, PixelRange.BYTE).withAugmentation(new CenterCrop(1));
            assertThrows(IllegalStateException.class, () -> shrinking.next(m));
        }
    }
}
