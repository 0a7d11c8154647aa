package io.gen4j.eval;

import ai.djl.ndarray.NDArray;

/**
 * Turns images into the feature vectors and class probabilities the metrics consume.
 *
 * <p>Input convention for both methods: float images of shape (N, C, H, W) with C = 1 or 3 and
 * values in [0, 1]. Implementations quantise to 8 bits by rounding (x·255 rounded, clipped to
 * [0, 255]), so real images read from 8-bit files and generated images go through exactly the same
 * path; grayscale is replicated to three channels where the network expects RGB. Results are in the
 * manager of the input and must not depend on how the images are split into batches.
 */
public interface FeatureExtractor extends AutoCloseable {

    /** @return the extractor's name, weights hash, preprocessing and output sizes */
    ExtractorInfo info();

    /**
     * @param images (N, C, H, W) in [0, 1]
     * @return (N, featureDim) features (Inception pool features, classifier penultimate layer)
     */
    NDArray features(NDArray images);

    /**
     * @param images (N, C, H, W) in [0, 1]
     * @return (N, numClasses) class probabilities p(y|x), rows summing to 1
     */
    NDArray classProbabilities(NDArray images);

    /** Releases the network; the default does nothing. */
    @Override
    default void close() {}
}
