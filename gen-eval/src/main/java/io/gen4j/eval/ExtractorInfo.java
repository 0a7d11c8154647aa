package io.gen4j.eval;

/**
 * What produced a set of features; recorded with every metric value so that numbers from
 * different extractors are never compared by accident.
 *
 * @param name short name used in metric names, e.g. {@code inception-v3} gives {@code FID-inception-v3}
 * @param fileHash SHA-256 (hex) of the weights file, or of the saved classifier parameters
 * @param preprocessing how images are turned into the extractor's input, in words
 * @param featureDim dimension of {@link FeatureExtractor#features} rows
 * @param numClasses number of classes of {@link FeatureExtractor#classProbabilities} rows
 */
public record ExtractorInfo(String name, String fileHash, String preprocessing, int featureDim, int numClasses) {

    /** Validates the fields. */
    public ExtractorInfo {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (featureDim < 1 || numClasses < 1) {
            throw new IllegalArgumentException(
                    "featureDim and numClasses must be >= 1, got " + featureDim + " and " + numClasses);
        }
    }

    /**
     * @param metric the metric's short name, e.g. {@code FID}
     * @return the metric named after this extractor, e.g. {@code FID-fmnist-cnn}
     */
    public String metricName(String metric) {
        return metric + "-" + name;
    }
}
