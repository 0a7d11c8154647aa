package io.gen4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.runtime.StopSignal;
import java.io.IOException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Sampleable} that draws any number of samples in chunks of at most {@code chunkSize},
 * each chunk in its own sub-manager: a decorator around any model, so that code taking a {@code
 * Sampleable} gets the bounded memory for free.
 *
 * <p><b>Memory.</b> Whatever a model allocates while drawing one chunk (a flow's inverse passes, a
 * sampler's 1000 intermediate {@code x_t}) lives in that chunk's sub-manager and is freed before the
 * next chunk starts, so the peak working memory is bounded by {@code chunkSize}, not by N. What
 * grows with N is only the result: {@link #sample} returns all N samples in the caller's manager
 * (held twice for a moment while the chunks are concatenated), and {@link #sampleTo} hands each
 * chunk to a {@link Sink} (a file writer, say) and keeps nothing.
 *
 * <p><b>Randomness.</b> Each chunk draws from the engine's generator in turn, so a run with a fixed
 * seed and chunk size is repeatable, but the samples differ from those of one unchunked call.
 *
 * <pre>{@code
 * NDArray x = new ChunkedSampleable(flow, 1000).sample(manager, 10_000);
 * try (NpyWriter out = NpyWriter.create(Path.of("samples.npy"), NumpyType.FLOAT32, new Shape(2))) {
 *     new ChunkedSampleable(flow, 1000).sampleTo(manager, 1_000_000, out::append);
 * }
 * }</pre>
 *
 * @param model the model that draws each chunk
 * @param chunkSize the most samples drawn at once, at least 1
 */
public record ChunkedSampleable(Sampleable model, int chunkSize) implements Sampleable {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkedSampleable.class);

    /**
     * Receives the chunks of {@link #sampleTo}, in order; the chunk is freed when the call returns.
     */
    @FunctionalInterface
    public interface Sink {

        /**
         * Consumes one chunk.
         *
         * @param chunk shape (k, ...), k at most the chunk size; owned by a scope that closes after
         *     this call (copy or attach what must outlive it)
         * @throws IOException when writing the chunk fails
         */
        void accept(NDArray chunk) throws IOException;
    }

    /** Validates the arguments. */
    public ChunkedSampleable {
        Objects.requireNonNull(model, "model");
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be >= 1, got " + chunkSize);
        }
    }

    /**
     * Draws {@code n} samples chunk by chunk and returns them all.
     *
     * @param manager the manager that will own the result
     * @param n how many samples, at least 1
     * @return shape (n, ...), concatenated in drawing order
     */
    @Override
    public NDArray sample(NDManager manager, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        try (NDManager collect = manager.newSubManager()) {
            NDList parts = new NDList();
            for (int from = 0; from < n; from += chunkSize) {
                int k = Math.min(chunkSize, n - from);
                try (NDManager scope = collect.newSubManager()) {
                    NDArray chunk = draw(scope, k, from, n);
                    chunk.attach(collect);
                    parts.add(chunk);
                }
            }
            NDArray all = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
            all.attach(manager);
            return all;
        }
    }

    /**
     * Draws {@code n} samples chunk by chunk and hands each chunk to {@code sink}, keeping none.
     *
     * @param manager the parent of the per-chunk scopes
     * @param n how many samples, at least 1
     * @param sink receives the chunks in order
     * @throws IOException when the sink fails (the chunks before it were delivered)
     */
    public void sampleTo(NDManager manager, long n, Sink sink) throws IOException {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        Objects.requireNonNull(sink, "sink");
        for (long from = 0; from < n; from += chunkSize) {
            int k = (int) Math.min(chunkSize, n - from);
            try (NDManager scope = manager.newSubManager()) {
                sink.accept(draw(scope, k, from, n));
            }
        }
    }

    private NDArray draw(NDManager scope, int k, long from, long n) {
        StopSignal.throwIfRequested(); // a safe point between chunks
        NDArray chunk = model.sample(scope, k);
        if (chunk.getShape().dimension() < 1 || chunk.getShape().get(0) != k) {
            throw new IllegalStateException(
                    "the model was asked for " + k + " samples and returned shape "
                            + chunk.getShape());
        }
        LOG.debug("drew samples [{}, {}) of {}", from, from + k, n);
        return chunk;
    }
}
