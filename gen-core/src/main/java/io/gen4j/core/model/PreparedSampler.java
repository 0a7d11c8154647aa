package io.gen4j.core.model;

/**
 * A model's sampler made ready for drawing many chunks with the parameters as they were when it was made
 * ({@link GenerativeModel#prepareSampler}): a family may precompute there what does not depend on the
 * draws, once instead of per chunk (a flow folds its constant layers). A <b>snapshot</b>: after the model's
 * parameters change (a training step, a load, an EMA copied in), close it and prepare again. Closing frees
 * what it precomputed.
 *
 * <pre>{@code
 * try (PreparedSampler sampler = model.prepareSampler(manager, SampleOptions.defaults())) {
 *     new ChunkedSampleable(sampler, 1000).sampleTo(manager, 1_000_000, out::append);
 * }
 * }</pre>
 */
public interface PreparedSampler extends Sampleable, AutoCloseable {

    /** Frees what the sampler precomputed; it cannot be used afterwards. */
    @Override
    void close();
}
