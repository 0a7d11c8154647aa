package io.gen4j.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.runtime.StopSignal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a {@link FeatureExtractor} over an {@link ImageSet} in batches, one NDManager scope per batch. */
public final class FeatureExtraction {

    private static final Logger LOGGER = LoggerFactory.getLogger(FeatureExtraction.class);

    private FeatureExtraction() {}

    /**
     * @param extractor the network
     * @param images the images
     * @param batchSize images per forward pass, >= 1
     * @param manager parent of the per-batch scopes
     * @return (N, featureDim) features in double
     */
    public static Features features(FeatureExtractor extractor, ImageSet images, int batchSize, NDManager manager) {
        return features(extractor, images, batchSize, manager, done -> { });
    }

    /**
     * @param extractor the network
     * @param images the images
     * @param batchSize images per forward pass, >= 1
     * @param manager parent of the per-batch scopes
     * @param onBatch told the number of images of each batch once it is done (a progress line)
     * @return (N, featureDim) features in double
     */
    public static Features features(FeatureExtractor extractor, ImageSet images, int batchSize, NDManager manager,
            IntConsumer onBatch) {
        return run(images, batchSize, manager, (x, unused) -> extractor.features(x), "features", onBatch);
    }

    /**
     * @param extractor the network
     * @param images the images
     * @param batchSize images per forward pass, >= 1
     * @param manager parent of the per-batch scopes
     * @return (N, numClasses) class probabilities in double
     */
    public static Features classProbabilities(FeatureExtractor extractor, ImageSet images, int batchSize,
            NDManager manager) {
        return classProbabilities(extractor, images, batchSize, manager, done -> { });
    }

    /**
     * @param extractor the network
     * @param images the images
     * @param batchSize images per forward pass, >= 1
     * @param manager parent of the per-batch scopes
     * @param onBatch told the number of images of each batch once it is done (a progress line)
     * @return (N, numClasses) class probabilities in double
     */
    public static Features classProbabilities(FeatureExtractor extractor, ImageSet images, int batchSize,
            NDManager manager, IntConsumer onBatch) {
        return run(images, batchSize, manager, (x, unused) -> extractor.classProbabilities(x), "probabilities",
                onBatch);
    }

    private static Features run(ImageSet images, int batchSize, NDManager manager,
            BiFunction<NDArray, Void, NDArray> f, String what, IntConsumer onBatch) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        List<Features> parts = new ArrayList<>();
        long start = System.nanoTime();
        for (int from = 0; from < images.count(); from += batchSize) {
            StopSignal.throwIfRequested(); // a safe point: Ctrl-C under the CLI stops here
            int to = Math.min(images.count(), from + batchSize);
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = images.batch(scope, from, to);
                parts.add(Features.fromNDArray(f.apply(x, null)));
            }
            onBatch.accept(to - from);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        LOGGER.info("extracted {} for {} images in {} s ({} images/s)", what, images.count(),
                String.format("%.1f", seconds), String.format("%.1f", images.count() / seconds));
        return Features.concat(parts);
    }
}
