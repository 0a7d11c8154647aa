package io.gen4j.eval;

/**
 * Features of the real reference and of the generated samples, from one extractor.
 *
 * @param realFeatures real features (N_real × d)
 * @param generatedFeatures generated features (N_gen × d)
 * @param realProbabilities real class probabilities for the IS floor, or null
 * @param generatedProbabilities generated class probabilities, needed for {@link Metric#IS}, or null
 * @param extractor the extractor that produced them
 * @param referenceSplit name of the real reference data, e.g. {@code fashion-mnist/test}
 */
public record EvaluationInputs(Features realFeatures, Features generatedFeatures, Features realProbabilities,
        Features generatedProbabilities, ExtractorInfo extractor, String referenceSplit) {

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
    }
}
