package io.gen4j.examples.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.LikelihoodModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The likelihoods of the comparison are on one scale (nats of the discrete image), checked on data
 * whose entropy is known: two binary 8×8 images, equally likely, so H = ln 2 nats per image. By
 * Gibbs' inequality any normalised distribution over discrete images has a mean NLL of at least
 * ln 2 on a test set with exactly these frequencies, and a bound on the NLL is larger still. A
 * model reporting a continuous density without its bins (values far below zero on such peaked data)
 * or a per-pixel number would fall below ln 2 and fail.
 */
class ComparisonScaleTest {

    private static ImageDataset twoImages(int copies) {
        byte[] p = new byte[2 * copies * 64];
        int[] labels = new int[2 * copies];
        for (int i = 0; i < 2 * copies; i++) {
            labels[i] = i % 2;
            for (int j = 0; j < 64; j++) {
                boolean on = labels[i] == 0 ? (j / 8 + j % 8) % 2 == 0 : j / 8 < 4;
                p[i * 64 + j] = (byte) (on ? 255 : 0);
            }
        }
        return new ImageDataset("two-images", 1, 8, 8, p, labels, List.of("checker", "half"));
    }

    @Test
    void everyFamilyReportsAtLeastTheEntropyOfTheData(@TempDir Path tmp) throws Exception {
        ImageDataset train = twoImages(64);
        ImageDataset test = twoImages(8);
        double entropy = Math.log(2);
        TopicRun run = TopicRun.open(TopicOptions.of(Profile.SMOKE, tmp), "scale", "test");
        List<String> names = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            ComparisonContext context = new ComparisonContext(train, Profile.SMOKE, run, 3L, manager);
            for (ComparisonEntry entry : Comparison.entries()) {
                GenerativeModel model = entry.train(context);
                names.add(entry.name());
                assertEquals(8, model.spec().data().shape()[1], entry.name());
                if (!(model instanceof LikelihoodModel)) {
                    continue;
                }
                double nll = Comparison.meanNll(model, test, test.size(), manager);
                assertTrue(Double.isFinite(nll), entry.name() + ": " + nll);
                // Monte-Carlo bounds (IWAE, dequantisation) may fluctuate a little around their mean
                assertTrue(nll >= entropy - 0.05, entry.name() + " reports NLL " + nll + " nats per image, below the "
                        + "entropy ln 2 of the data: not the scale of the discrete image");
                // and none is a per-pixel number or in bits: at most 64 pixels of log 256 plus slack
                assertTrue(nll < 64 * Math.log(256) * 2, entry.name() + ": " + nll);
            }
        }
        assertTrue(names.containsAll(List.of("vae", "realnvp", "ddpm", "made", "pixelcnn")), names.toString());
    }
}
