package io.gen4j.core.nn;

import java.util.Arrays;

/**
 * Hyperparameters of {@link UNet}, validated on construction. Make one with {@link #builder()}
 * (required image channels, every other field with a documented default, see {@link Builder}) or
 * {@link #defaults(int)}; the record is the value type that equality, {@code toString} and the
 * JSON of a run directory (Jackson, by component name) use.
 *
 * <p>Level i (0 = full resolution) has {@code baseChannels · channelMultipliers[i]} channels and
 * {@code blocksPerLevel} residual blocks on the way down (one more on the way up, which also
 * consumes the downsampling skip); levels listed in {@code attentionLevels} get a self-attention
 * block after each residual block. DDPM's CIFAR-10 model (Ho et al. 2020, §B) is base 128,
 * multipliers (1, 2, 2, 2), 2 blocks, attention at 16×16 (level 1), dropout 0.1, 32 groups.
 *
 * @param inChannels channels of x, at least 1
 * @param outChannels channels of the output (usually = inChannels), at least 1
 * @param baseChannels channels of level 0, divisible by groups
 * @param channelMultipliers one multiplier per level, each at least 1 (at least one level)
 * @param blocksPerLevel residual blocks per level on the way down, at least 1
 * @param attentionLevels levels with self-attention, each in [0, levels − 1]; the middle block
 *     always has one
 * @param heads attention heads, dividing every attended channel count
 * @param groups GroupNorm groups, dividing every channel count
 * @param dropout dropout in the residual blocks, in [0, 1)
 * @param numClasses number of class labels for the label embedding, 0 for an unconditional
 *     network; a null class is added for classifier-free guidance
 * @param contextDim width of a cross-attention context (text embeddings), 0 for none; when
 *     positive every attention level also gets a {@link CrossAttention} block
 * @param zeroInitOutput whether the last convolution starts at zero (DDPM/ADM's choice)
 */
public record UNetConfig(
        int inChannels,
        int outChannels,
        int baseChannels,
        int[] channelMultipliers,
        int blocksPerLevel,
        int[] attentionLevels,
        int heads,
        int groups,
        float dropout,
        int numClasses,
        int contextDim,
        boolean zeroInitOutput) {

    /** Validates every field. */
    public UNetConfig {
        if (inChannels < 1 || outChannels < 1) {
            throw new IllegalArgumentException(
                    "inChannels and outChannels must be >= 1, got " + inChannels + ", " + outChannels);
        }
        if (groups < 1) {
            throw new IllegalArgumentException("groups must be >= 1, got " + groups);
        }
        if (baseChannels < 1 || baseChannels % groups != 0) {
            throw new IllegalArgumentException("baseChannels must be >= 1 and divisible by groups ("
                    + groups + "), got " + baseChannels);
        }
        if (channelMultipliers == null || channelMultipliers.length == 0) {
            throw new IllegalArgumentException("channelMultipliers needs at least one level");
        }
        channelMultipliers = channelMultipliers.clone();
        for (int m : channelMultipliers) {
            if (m < 1) {
                throw new IllegalArgumentException(
                        "channel multipliers must be >= 1, got " + Arrays.toString(channelMultipliers));
            }
        }
        if (blocksPerLevel < 1) {
            throw new IllegalArgumentException("blocksPerLevel must be >= 1, got " + blocksPerLevel);
        }
        attentionLevels = attentionLevels == null ? new int[0] : attentionLevels.clone();
        for (int level : attentionLevels) {
            if (level < 0 || level >= channelMultipliers.length) {
                throw new IllegalArgumentException("attention levels must be in [0, "
                        + (channelMultipliers.length - 1) + "], got " + level);
            }
        }
        if (heads < 1) {
            throw new IllegalArgumentException("heads must be >= 1, got " + heads);
        }
        for (int m : channelMultipliers) {
            if ((baseChannels * m) % heads != 0) {
                throw new IllegalArgumentException(
                        "heads " + heads + " must divide every level's channels, not " + baseChannels * m);
            }
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (numClasses < 0 || contextDim < 0) {
            throw new IllegalArgumentException(
                    "numClasses and contextDim must be >= 0, got " + numClasses + ", " + contextDim);
        }
    }

    /**
     * A small unconditional U-Net for 28×28 / 32×32 images: base 32, multipliers (1, 2, 2), 1
     * block per level, attention at the lowest resolution, 8 groups, no dropout. The same as {@code
     * builder().setImageChannels(channels).build()}.
     *
     * @param channels image channels
     * @return the configuration
     */
    public static UNetConfig defaults(int channels) {
        return builder().setImageChannels(channels).build();
    }

    /**
     * A builder with every default of {@link Builder}; only the image channels are required.
     *
     * <pre>
     *   UNetConfig c = UNetConfig.builder()
     *           .setImageChannels(3)
     *           .optBaseChannels(128).optChannelMultipliers(1, 2, 2, 2).optBlocksPerLevel(2)
     *           .optAttentionLevels(1).optDropout(0.1f).optGroups(32)
     *           .build();                                    // DDPM's CIFAR-10 network
     * </pre>
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this configuration, to change a few fields */
    public Builder toBuilder() {
        Builder b = new Builder()
                .setImageChannels(inChannels)
                .optBaseChannels(baseChannels)
                .optChannelMultipliers(channelMultipliers)
                .optBlocksPerLevel(blocksPerLevel)
                .optAttentionLevels(attentionLevels)
                .optHeads(heads)
                .optGroups(groups)
                .optDropout(dropout)
                .optClasses(numClasses)
                .optContextDim(contextDim)
                .optZeroInitOutput(zeroInitOutput);
        if (outChannels != inChannels) {
            b.optOutChannels(outChannels);
        }
        return b;
    }

    /** @return the number of resolution levels */
    public int levels() {
        return channelMultipliers.length;
    }

    /**
     * @param level a level in [0, levels − 1]
     * @return its channel count
     */
    public int channelsAt(int level) {
        return baseChannels * channelMultipliers[level];
    }

    /**
     * @param level a level
     * @return whether it has attention blocks
     */
    public boolean hasAttention(int level) {
        return Arrays.stream(attentionLevels).anyMatch(l -> l == level);
    }

    /** @return the size of the time (and class) embedding, 4 · baseChannels as in DDPM */
    public int embeddingDim() {
        return 4 * baseChannels;
    }

    /** @return a copy of the channel multipliers */
    @Override
    public int[] channelMultipliers() {
        return channelMultipliers.clone();
    }

    /** @return a copy of the attention levels */
    @Override
    public int[] attentionLevels() {
        return attentionLevels.clone();
    }

    /**
     * @param base base channels
     * @param multipliers channel multipliers per level
     * @return this configuration with another width and depth in levels
     */
    public UNetConfig withChannels(int base, int... multipliers) {
        return toBuilder().optBaseChannels(base).optChannelMultipliers(multipliers).build();
    }

    /**
     * @param blocks residual blocks per level
     * @return this configuration with another depth
     */
    public UNetConfig withBlocksPerLevel(int blocks) {
        return toBuilder().optBlocksPerLevel(blocks).build();
    }

    /**
     * @param levels levels with self-attention
     * @return this configuration with attention elsewhere
     */
    public UNetConfig withAttentionLevels(int... levels) {
        return toBuilder().optAttentionLevels(levels).build();
    }

    /**
     * @param rate dropout rate
     * @return this configuration with dropout
     */
    public UNetConfig withDropout(float rate) {
        return toBuilder().optDropout(rate).build();
    }

    /**
     * @param g GroupNorm groups
     * @return this configuration with another group count
     */
    public UNetConfig withGroups(int g) {
        return toBuilder().optGroups(g).build();
    }

    /**
     * @param classes number of class labels (0 for none)
     * @return this configuration with a label embedding
     */
    public UNetConfig withClasses(int classes) {
        return toBuilder().optClasses(classes).build();
    }

    /**
     * @param dim context width for cross-attention (0 for none)
     * @return this configuration with cross-attention at the attention levels
     */
    public UNetConfig withContextDim(int dim) {
        return toBuilder().optContextDim(dim).build();
    }

    /**
     * @param zero whether the output convolution starts at zero
     * @return this configuration with that choice
     */
    public UNetConfig withZeroInitOutput(boolean zero) {
        return toBuilder().optZeroInitOutput(zero).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UNetConfig c && inChannels == c.inChannels
                && outChannels == c.outChannels && baseChannels == c.baseChannels
                && Arrays.equals(channelMultipliers, c.channelMultipliers)
                && blocksPerLevel == c.blocksPerLevel
                && Arrays.equals(attentionLevels, c.attentionLevels) && heads == c.heads
                && groups == c.groups && dropout == c.dropout && numClasses == c.numClasses
                && contextDim == c.contextDim && zeroInitOutput == c.zeroInitOutput;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(channelMultipliers) * 31 + Arrays.hashCode(attentionLevels)
                + java.util.Objects.hash(inChannels, outChannels, baseChannels, blocksPerLevel,
                        heads, groups, dropout, numClasses, contextDim, zeroInitOutput);
    }

    @Override
    public String toString() {
        return "UNetConfig[in=" + inChannels + ", out=" + outChannels + ", base=" + baseChannels
                + ", mult=" + Arrays.toString(channelMultipliers) + ", blocks=" + blocksPerLevel
                + ", attention=" + Arrays.toString(attentionLevels) + ", heads=" + heads
                + ", groups=" + groups + ", dropout=" + dropout + ", classes=" + numClasses
                + ", contextDim=" + contextDim + ", zeroInitOutput=" + zeroInitOutput + "]";
    }

    /**
     * Builds a {@link UNetConfig} (DJL style: {@code setX} for what is required, {@code optX} for
     * what has a default); {@link #build()} validates every field through the record's constructor,
     * whose errors name the bad value and the allowed range.
     *
     * <p>Defaults, a small unconditional U-Net for 28×28 / 32×32 images ({@link #defaults(int)}):
     *
     * <table>
     *   <caption>UNetConfig defaults</caption>
     *   <tr><th>field</th><th>default</th><th>allowed</th></tr>
     *   <tr><td>image channels</td><td>required</td><td>&ge; 1</td></tr>
     *   <tr><td>out channels</td><td>= image channels</td><td>&ge; 1</td></tr>
     *   <tr><td>base channels</td><td>32</td><td>&ge; 1, divisible by groups and heads</td></tr>
     *   <tr><td>channel multipliers</td><td>1, 2, 2</td><td>at least one level, each &ge; 1</td></tr>
     *   <tr><td>blocks per level</td><td>1</td><td>&ge; 1</td></tr>
     *   <tr><td>attention levels</td><td>the lowest resolution (levels − 1)</td><td>each in [0, levels − 1]; none: {@code optAttentionLevels()}</td></tr>
     *   <tr><td>heads</td><td>1</td><td>&ge; 1, dividing every level's channels</td></tr>
     *   <tr><td>groups</td><td>8</td><td>&ge; 1, dividing every level's channels</td></tr>
     *   <tr><td>dropout</td><td>0</td><td>[0, 1)</td></tr>
     *   <tr><td>classes</td><td>0 (unconditional)</td><td>&ge; 0</td></tr>
     *   <tr><td>context dim</td><td>0 (no cross-attention)</td><td>&ge; 0</td></tr>
     *   <tr><td>zero-init output</td><td>true</td><td></td></tr>
     * </table>
     */
    public static final class Builder {

        private int imageChannels;
        private int outChannels;
        private int baseChannels = 32;
        private int[] channelMultipliers = {1, 2, 2};
        private int blocksPerLevel = 1;
        private int[] attentionLevels; // null: the lowest resolution
        private int heads = 1;
        private int groups = 8;
        private float dropout;
        private int numClasses;
        private int contextDim;
        private boolean zeroInitOutput = true;

        private Builder() {}

        /**
         * Sets the channels of x (and of the output, unless {@link #optOutChannels} says otherwise).
         *
         * @param channels image channels, at least 1
         * @return this builder
         */
        public Builder setImageChannels(int channels) {
            this.imageChannels = channels;
            return this;
        }

        /**
         * @param channels output channels when they differ from the image's (e.g. 2C for a learned
         *     variance), at least 1
         * @return this builder
         */
        public Builder optOutChannels(int channels) {
            this.outChannels = channels;
            return this;
        }

        /**
         * @param channels channels of level 0, divisible by the groups and the heads
         * @return this builder
         */
        public Builder optBaseChannels(int channels) {
            this.baseChannels = channels;
            return this;
        }

        /**
         * @param multipliers one multiplier per level, each at least 1 (level i has base · m_i
         *     channels and half the resolution of level i − 1)
         * @return this builder
         */
        public Builder optChannelMultipliers(int... multipliers) {
            this.channelMultipliers = multipliers == null ? null : multipliers.clone();
            return this;
        }

        /**
         * @param blocks residual blocks per level on the way down, at least 1
         * @return this builder
         */
        public Builder optBlocksPerLevel(int blocks) {
            this.blocksPerLevel = blocks;
            return this;
        }

        /**
         * @param levels levels with self-attention, each in [0, levels − 1]; none for no attention
         *     outside the middle block
         * @return this builder
         */
        public Builder optAttentionLevels(int... levels) {
            this.attentionLevels = levels == null ? new int[0] : levels.clone();
            return this;
        }

        /**
         * @param heads attention heads, dividing every attended channel count
         * @return this builder
         */
        public Builder optHeads(int heads) {
            this.heads = heads;
            return this;
        }

        /**
         * @param groups GroupNorm groups, dividing every channel count
         * @return this builder
         */
        public Builder optGroups(int groups) {
            this.groups = groups;
            return this;
        }

        /**
         * @param rate dropout in the residual blocks, in [0, 1)
         * @return this builder
         */
        public Builder optDropout(float rate) {
            this.dropout = rate;
            return this;
        }

        /**
         * @param classes class labels of a label embedding (a null class is added for
         *     classifier-free guidance), 0 for an unconditional network
         * @return this builder
         */
        public Builder optClasses(int classes) {
            this.numClasses = classes;
            return this;
        }

        /**
         * @param dim width of a cross-attention context (text embeddings), 0 for none
         * @return this builder
         */
        public Builder optContextDim(int dim) {
            this.contextDim = dim;
            return this;
        }

        /**
         * @param zero whether the last convolution starts at zero (DDPM/ADM's choice)
         * @return this builder
         */
        public Builder optZeroInitOutput(boolean zero) {
            this.zeroInitOutput = zero;
            return this;
        }

        /**
         * @return the validated configuration
         * @throws IllegalArgumentException naming the bad value and the allowed range
         */
        public UNetConfig build() {
            if (imageChannels < 1) {
                throw new IllegalArgumentException(
                        "imageChannels must be set to a value >= 1, got " + imageChannels);
            }
            int[] attention = attentionLevels;
            if (attention == null) {
                attention = channelMultipliers == null || channelMultipliers.length == 0
                        ? new int[0]
                        : new int[] {channelMultipliers.length - 1};
            }
            return new UNetConfig(imageChannels, outChannels > 0 ? outChannels : imageChannels,
                    baseChannels, channelMultipliers, blocksPerLevel, attention, heads, groups,
                    dropout, numClasses, contextDim, zeroInitOutput);
        }
    }
}
