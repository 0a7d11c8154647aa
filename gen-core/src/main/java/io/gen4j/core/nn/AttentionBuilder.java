package io.gen4j.core.nn;

import ai.djl.nn.Block;

/**
 * The options shared by {@link SelfAttention} and {@link CrossAttention}: channels C of the feature
 * map (required), heads (dividing C), an optional pre-normalisation, and whether the output
 * projection starts at zero so that a new block is the identity (ADM's {@code zero_module}).
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class AttentionBuilder<B extends AttentionBuilder<B>> {

    int channels;
    int heads = 1;
    Block norm;
    boolean zeroInitOutput = true;

    AttentionBuilder() {}

    /** @return this builder as its concrete type */
    protected abstract B self();

    /**
     * @param channels C of the feature map, at least 1
     * @return this
     */
    public B setChannels(int channels) {
        this.channels = channels;
        return self();
    }

    /**
     * @param heads number of heads, dividing C (default 1)
     * @return this
     */
    public B optHeads(int heads) {
        this.heads = heads;
        return self();
    }

    /**
     * @param norm a shape-preserving normalisation applied to the feature map before the projections
     *     (GroupNorm in the U-Net); none by default
     * @return this
     */
    public B optNorm(Block norm) {
        this.norm = norm;
        return self();
    }

    /**
     * @param zero whether the output projection starts at zero, making the block the identity
     *     (default true)
     * @return this
     */
    public B optZeroInitOutput(boolean zero) {
        this.zeroInitOutput = zero;
        return self();
    }

    /** Checks the options; called by {@code build()}. */
    void validate() {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        }
        if (heads < 1 || channels % heads != 0) {
            throw new IllegalArgumentException(
                    "heads must be >= 1 and divide channels " + channels + ", got " + heads);
        }
    }
}
