package io.gen4j.eval;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a {@link Metric} is computed from: a reference set, the samples judged against it, and
 * optionally the samples' class probabilities.
 *
 * <p>For a metric's value the reference is the real data and the samples are the generated ones; for
 * its real-vs-real floor the reference is the rest of the real data and the samples are the held-out
 * real data (see {@link Evaluation}). A metric cannot tell the two apart, which is what makes the
 * floor comparable with the value.
 *
 * <p>One input is handed to every metric of an evaluation in turn, and {@link #shared} keeps results
 * that several of them need, so that e.g. {@link PrecisionRecall} and {@link DensityCoverage} find
 * the reference set's nearest neighbours in one pass. Instances are not thread-safe.
 */
public final class MetricInput {

    private final Features reference;
    private final Features samples;
    private final Features sampleProbabilities;
    private final Map<Object, Object> shared = new HashMap<>();

    /**
     * @param reference reference features (N_ref × d)
     * @param samples features of the samples judged (N × d)
     * @param sampleProbabilities class probabilities of the samples (N × C), or null
     */
    public MetricInput(Features reference, Features samples, Features sampleProbabilities) {
        this.reference = Objects.requireNonNull(reference, "reference");
        this.samples = Objects.requireNonNull(samples, "samples");
        if (reference.dim() != samples.dim()) {
            throw new IllegalArgumentException("reference and sample feature dimensions differ: "
                    + reference.dim() + " vs " + samples.dim());
        }
        if (sampleProbabilities != null && sampleProbabilities.count() != samples.count()) {
            throw new IllegalArgumentException("sampleProbabilities must have " + samples.count()
                    + " rows, one per sample, got " + sampleProbabilities.count());
        }
        this.sampleProbabilities = sampleProbabilities;
    }

    /**
     * @param reference reference features
     * @param samples sample features
     * @return an input without probabilities
     */
    public static MetricInput of(Features reference, Features samples) {
        return new MetricInput(reference, samples, null);
    }

    /** @return the reference features: the real data, or the rest of it for a floor */
    public Features reference() {
        return reference;
    }

    /** @return the features judged: generated samples, or held-out real data for a floor */
    public Features samples() {
        return samples;
    }

    /** @return class probabilities of the samples, or null when none were given */
    public Features sampleProbabilities() {
        return sampleProbabilities;
    }

    /**
     * A result computed once per input and shared by the metrics that ask for it with an equal key.
     * Use a key type private to your code (a record) so that keys of different metrics cannot clash;
     * the value must not hold NDArrays (the metrics' managers are scratch managers) and callers must
     * not modify it.
     *
     * @param key what the result is, e.g. {@code new NeighbourTable(reference, 10)}
     * @param compute computes the result the first time
     * @param <T> the result's type
     * @return the shared result
     */
    @SuppressWarnings("unchecked")
    public <T> T shared(Object key, Supplier<T> compute) {
        Object value = shared.get(Objects.requireNonNull(key, "key"));
        if (value == null) {
            value = Objects.requireNonNull(compute.get(), "a shared result must not be null");
            shared.put(key, value);
        }
        return (T) value;
    }
}
