package io.gen4j.autoencoders;

/**
 * Hyperparameters of a {@link VectorQuantizer}.
 *
 * @param numCodes codebook size K >= 2
 * @param codeDim vector size D >= 1
 * @param commitment β of the commitment loss β‖z_e − sg[e]‖², >= 0 (0.25 in the paper); the
 *     loss is summed over each example's latent vectors like the reconstruction over its pixels,
 *     so β means what it means in the paper whatever the latent grid size
 * @param update gradient or EMA codebook learning
 * @param decay EMA decay γ in [0, 1) (0.99 in the paper); used with {@link CodebookUpdate#EMA}
 * @param epsilon Laplace smoothing of the EMA cluster sizes, > 0
 * @param deadCodeThreshold a code whose EMA cluster size N_k (assigned vectors per batch; it starts
 *     at 1, one pseudo-vector at the initial code) falls below this is restarted at a random encoder
 *     output of the batch; 0 turns restarts off. Restarts need {@link CodebookUpdate#EMA}.
 */
public record VectorQuantizerConfig(
        int numCodes,
        int codeDim,
        double commitment,
        CodebookUpdate update,
        double decay,
        double epsilon,
        double deadCodeThreshold) {

    /** Validates the values. */
    public VectorQuantizerConfig {
        if (numCodes < 2) {
            throw new IllegalArgumentException("numCodes must be >= 2, got " + numCodes);
        }
        if (codeDim < 1) {
            throw new IllegalArgumentException("codeDim must be >= 1, got " + codeDim);
        }
        if (!(commitment >= 0) || Double.isInfinite(commitment)) {
            throw new IllegalArgumentException("commitment must be finite and >= 0, got " + commitment);
        }
        if (update == null) {
            throw new IllegalArgumentException("update must not be null");
        }
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("decay must be in [0, 1), got " + decay);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("epsilon must be > 0, got " + epsilon);
        }
        if (!(deadCodeThreshold >= 0) || Double.isInfinite(deadCodeThreshold)) {
            throw new IllegalArgumentException("deadCodeThreshold must be finite and >= 0, got " + deadCodeThreshold);
        }
        if (deadCodeThreshold > 0 && update != CodebookUpdate.EMA) {
            throw new IllegalArgumentException("dead-code restarts need CodebookUpdate.EMA, got " + update);
        }
    }

    /**
     * @param numCodes K
     * @param codeDim D
     * @return EMA codebook (γ = 0.99), β = 0.25, restarts below 1 vector per batch
     */
    public static VectorQuantizerConfig defaults(int numCodes, int codeDim) {
        return new VectorQuantizerConfig(numCodes, codeDim, 0.25, CodebookUpdate.EMA, 0.99, 1e-5, 1.0);
    }

    /**
     * @param numCodes K
     * @param codeDim D
     * @return gradient-learned codebook, β = 0.25, no restarts
     */
    public static VectorQuantizerConfig gradient(int numCodes, int codeDim) {
        return new VectorQuantizerConfig(numCodes, codeDim, 0.25, CodebookUpdate.GRADIENT, 0.99, 1e-5, 0);
    }
}
