package io.gen4j.core.nn;

import java.util.Arrays;

/**
 * Hyperparameters of {@link UNet}, validated on construction.
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
        if (groups < 1 || baseChannels < 1 || baseChannels % groups != 0) {
            throw new IllegalArgumentException("baseChannels must be >= 1 and divisible by groups "
                    + groups + ", got " + baseChannels);
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
     * block per level, attention at the lowest resolution, 8 groups, no dropout.
     *
     * @param channels image channels
     * @return the configuration
     */
    public static UNetConfig defaults(int channels) {
        return new UNetConfig(channels, channels, 32, new int[] {1, 2, 2}, 1, new int[] {2}, 1, 8, 0f,
                0, 0, true);
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
        return new UNetConfig(inChannels, outChannels, base, multipliers, blocksPerLevel,
                attentionLevels, heads, groups, dropout, numClasses, contextDim, zeroInitOutput);
    }

    /**
     * @param blocks residual blocks per level
     * @return this configuration with another depth
     */
    public UNetConfig withBlocksPerLevel(int blocks) {
        return new UNetConfig(inChannels, outChannels, baseChannels, channelMultipliers, blocks,
                attentionLevels, heads, groups, dropout, numClasses, contextDim, zeroInitOutput);
    }

    /**
     * @param levels levels with self-attention
     * @return this configuration with attention elsewhere
     */
    public UNetConfig withAttentionLevels(int... levels) {
        return new UNetConfig(inChannels, outChannels, baseChannels, channelMultipliers,
                blocksPerLevel, levels, heads, groups, dropout, numClasses, contextDim,
                zeroInitOutput);
    }

    /**
     * @param rate dropout rate
     * @return this configuration with dropout
     */
    public UNetConfig withDropout(float rate) {
        return new UNetConfig(inChannels, outChannels, baseChannels, channelMultipliers,
                blocksPerLevel, attentionLevels, heads, groups, rate, numClasses, contextDim,
                zeroInitOutput);
    }

    /**
     * @param g GroupNorm groups
     * @return this configuration with another group count
     */
    public UNetConfig withGroups(int g) {
        return new UNetConfig(inChannels, outChannels, baseChannels, channelMultipliers,
                blocksPerLevel, attentionLevels, heads, g, dropout, numClasses, contextDim,
                zeroInitOutput);
    }

    /**
     * @param classes number of class labels (0 for none)
     * @return this configuration with a label embedding
     */
    public UNetConfig withClasses(int classes) {
        return new UNetConfig(inChannels, outChannels, baseChannels, channelMultipliers,
                blocksPerLevel, attentionLevels, heads, groups, dropout, classes, contextDim,
                zeroInitOutput);
    }

    /**
     * @param dim context width for cross-attention (0 for none)
     * @return this configuration with cross-attention at the attention levels
     */
    public UNetConfig withContextDim(int dim) {
        return new UNetConfig(inChannels, outChannels, baseChannels, channelMultipliers,
                blocksPerLevel, attentionLevels, heads, groups, dropout, numClasses, dim,
                zeroInitOutput);
    }

    /**
     * @param zero whether the output convolution starts at zero
     * @return this configuration with that choice
     */
    public UNetConfig withZeroInitOutput(boolean zero) {
        return new UNetConfig(inChannels, outChannels, baseChannels, channelMultipliers,
                blocksPerLevel, attentionLevels, heads, groups, dropout, numClasses, contextDim,
                zero);
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
}
