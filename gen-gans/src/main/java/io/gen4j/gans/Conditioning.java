package io.gen4j.gans;

/** How a GAN is conditioned on a class label. */
public enum Conditioning {
    /** Unconditional. */
    NONE,
    /**
     * The conditional GAN of Mirza &amp; Osindero 2014: a label embedding concatenated to G's latent
     * and to D's input (as constant extra channels for images).
     */
    CONCAT,
    /**
     * G as in {@link #CONCAT}; D with the projection of Miyato &amp; Koyama 2018: {@code D(x, y) =
     * ψ(φ(x)) + e_y · φ(x)}, an inner product of a class embedding with D's features.
     */
    PROJECTION
}
