package io.gen4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link LikelihoodModel} that evaluates any number of examples in chunks of at most {@code
 * chunkSize} rows, each chunk in its own sub-manager: a decorator around any model, for evaluating
 * a test set that does not fit through the model at once.
 *
 * <p><b>Memory.</b> A chunk's slice of the input and everything the model allocates for it (a
 * flow's activations, a VAE's importance samples) are freed before the next chunk, so the peak
 * working memory is bounded by {@code chunkSize}, not by N. Only the N results are kept: as an
 * NDArray in the input's manager ({@link #logLikelihood}) or as Java doubles ({@link
 * #logLikelihoods}).
 *
 * <p>Meant for evaluation: chunks are evaluated one after the other, outside any gradient
 * collector the caller might have open.
 *
 * <pre>{@code
 * double[] ll = new ChunkedLikelihoodModel(flow, 4096).logLikelihoods(testPoints);
 * Npy.write(Path.of("log-likelihoods.npy"), NumpyArray.of(ll));
 * }</pre>
 *
 * @param model the model that evaluates each chunk
 * @param chunkSize the most examples evaluated at once, at least 1
 */
public record ChunkedLikelihoodModel(LikelihoodModel model, int chunkSize) implements LikelihoodModel {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkedLikelihoodModel.class);

    /** Validates the arguments. */
    public ChunkedLikelihoodModel {
        Objects.requireNonNull(model, "model");
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be >= 1, got " + chunkSize);
        }
    }

    /**
     * Per-example log-likelihoods, chunk by chunk.
     *
     * @param x data, shape (N, ...)
     * @return shape (N), of the model's result type, in the manager of {@code x}
     */
    @Override
    public NDArray logLikelihood(NDArray x) {
        long n = rows(x);
        NDManager parent = x.getManager();
        if (n == 0) {
            return parent.zeros(new Shape(0), x.getDataType());
        }
        try (NDManager collect = parent.newSubManager()) {
            NDList parts = new NDList();
            for (long from = 0; from < n; from += chunkSize) {
                long to = Math.min(n, from + chunkSize);
                try (NDManager scope = collect.newSubManager()) {
                    NDArray ll = evaluate(x, from, to, scope);
                    ll.attach(collect);
                    parts.add(ll);
                }
            }
            NDArray all = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
            all.attach(parent);
            return all;
        }
    }

    /**
     * Per-example log-likelihoods, chunk by chunk, as Java doubles (nothing is left in any
     * manager).
     *
     * @param x data, shape (N, ...)
     * @return N values, nats
     */
    public double[] logLikelihoods(NDArray x) {
        long n = rows(x);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("at most 2^31 - 9 examples, got " + n);
        }
        double[] out = new double[(int) n];
        for (long from = 0; from < n; from += chunkSize) {
            long to = Math.min(n, from + chunkSize);
            try (NDManager scope = x.getManager().newSubManager()) {
                double[] values = evaluate(x, from, to, scope).toType(DataType.FLOAT64, false)
                        .toDoubleArray();
                System.arraycopy(values, 0, out, (int) from, values.length);
            }
        }
        return out;
    }

    @Override
    public boolean isExact() {
        return model.isExact();
    }

    private NDArray evaluate(NDArray x, long from, long to, NDManager scope) {
        NDArray chunk = x.get(new NDIndex("{}:{}", from, to));
        chunk.attach(scope);
        NDArray ll = model.logLikelihood(chunk);
        if (ll.getShape().dimension() != 1 || ll.getShape().get(0) != to - from) {
            throw new IllegalStateException(
                    "the model was given " + (to - from) + " examples and returned shape "
                            + ll.getShape() + ", expected (" + (to - from) + ")");
        }
        LOG.debug("evaluated examples [{}, {}) of {}", from, to, x.getShape().get(0));
        return ll;
    }

    private static long rows(NDArray x) {
        if (x.getShape().dimension() < 1) {
            throw new IllegalArgumentException(
                    "x must have shape (N, ...), got " + x.getShape());
        }
        return x.getShape().get(0);
    }
}
