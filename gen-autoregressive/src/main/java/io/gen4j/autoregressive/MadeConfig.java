package io.gen4j.autoregressive;

import java.util.Objects;

/**
 * The hyperparameters of a {@link Made}.
 *
 * @param dims D, the number of dimensions, at least 2
 * @param hidden width of each hidden layer, at least 1
 * @param layers number of hidden layers, at least 1
 * @param output what the conditionals are
 * @param components K, the Gaussians per conditional of {@link MadeOutput#GAUSSIAN_MIXTURE} (1 for
 *     Bernoulli)
 * @param ordering how the mask sets order the dimensions
 * @param maskSets R, the number of connectivity patterns (1 = a fixed MADE; more = mask resampling
 *     during training, an ensemble of R at test time)
 * @param seed seeds the orderings and hidden degrees (the masks are a function of the config, not
 *     parameters)
 */
public record MadeConfig(int dims, int hidden, int layers, MadeOutput output, int components, MadeOrdering ordering,
        int maskSets, long seed) {

    /** Validates. */
    public MadeConfig {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(ordering, "ordering");
        if (dims < 2) {
            throw new IllegalArgumentException("dims must be >= 2, got " + dims);
        }
        if (hidden < 1 || layers < 1) {
            throw new IllegalArgumentException("hidden and layers must be >= 1, got " + hidden + " and " + layers);
        }
        if (components < 1 || (output == MadeOutput.BERNOULLI && components != 1)) {
            throw new IllegalArgumentException("components must be >= 1 (1 for Bernoulli outputs), got " + components);
        }
        if (maskSets < 1) {
            throw new IllegalArgumentException("maskSets must be >= 1, got " + maskSets);
        }
    }

    /**
     * @param dims D
     * @return a MADE for binary vectors: 2 hidden layers of 500, natural order, one mask set
     */
    public static MadeConfig binary(int dims) {
        return new MadeConfig(dims, 500, 2, MadeOutput.BERNOULLI, 1, MadeOrdering.NATURAL, 1, 0L);
    }

    /** @return the outputs per dimension: 1, or 3K */
    public int paramsPerDim() {
        return output == MadeOutput.BERNOULLI ? 1 : 3 * components;
    }

    /**
     * @param newMaskSets R
     * @param newOrdering the ordering
     * @return this config with R mask sets of that ordering
     */
    public MadeConfig withMasks(int newMaskSets, MadeOrdering newOrdering) {
        return new MadeConfig(dims, hidden, layers, output, components, newOrdering, newMaskSets, seed);
    }
}
