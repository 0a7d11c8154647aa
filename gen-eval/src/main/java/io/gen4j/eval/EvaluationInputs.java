package io.gen4j.eval;

/**
 * Features of the real reference and of the generated samples, from one extractor.
 *
 * @param realFeatures real features (N_real × d)
 * @param generatedFeatures generated features (N_gen × d)
 * @param realProbabilities real class probabilities for the IS floor, or null
 * @param generatedProbabilities generated class probabilities, needed by metrics that read
 *     probabilities ({@link InceptionScore}), or null
 * @param extractor the extractor that produced them
 * @param referenceSplit name of the real reference data, e.g. {@code fashion-mnist/test}
 * @param floorFeatures other real data (e.g. the training split) from which the floor draws N_gen
 *     samples to compare with the full reference, or null to split the reference itself
 * @param floorProbabilities class probabilities of {@code floorFeatures} for the IS floor, or null
 */
public record EvaluationInputs(Features realFeatures, Features generatedFeatures, Features realProbabilities,
        Features generatedProbabilities, ExtractorInfo extractor, String referenceSplit, Features floorFeatures,
        Features floorProbabilities) {

    /** Validates dimensions. */
    public EvaluationInputs {
        if (realFeatures.dim() != generatedFeatures.dim()) {
            throw new IllegalArgumentException("real and generated feature dimensions differ: "
                    + realFeatures.dim() + " vs " + generatedFeatures.dim());
        }
        if (realProbabilities != null && realProbabilities.count() != realFeatures.count()) {
            throw new IllegalArgumentException("realProbabilities must have " + realFeatures.count()
                    + " rows, got " + realProbabilities.count());
        }
        if (floorFeatures != null && floorFeatures.dim() != realFeatures.dim()) {
            throw new IllegalArgumentException("floorFeatures must have dimension " + realFeatures.dim()
                    + ", got " + floorFeatures.dim());
        }
        if (floorProbabilities != null && (floorFeatures == null || floorProbabilities.count() != floorFeatures.count())) {
            throw new IllegalArgumentException("floorProbabilities need floorFeatures with the same number of rows");
        }
    }

    /**
     * Inputs whose floor splits the reference itself.
     *
     * @param realFeatures real features
     * @param generatedFeatures generated features
     * @param realProbabilities real class probabilities, or null
     * @param generatedProbabilities generated class probabilities, or null
     * @param extractor the extractor
     * @param referenceSplit name of the real reference
     * @return the inputs
     */
    public static EvaluationInputs of(Features realFeatures, Features generatedFeatures, Features realProbabilities,
            Features generatedProbabilities, ExtractorInfo extractor, String referenceSplit) {
        return new EvaluationInputs(realFeatures, generatedFeatures, realProbabilities, generatedProbabilities,
                extractor, referenceSplit, null, null);
    }
}
