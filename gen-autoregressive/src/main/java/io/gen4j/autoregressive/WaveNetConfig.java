package io.gen4j.autoregressive;

/**
 * The hyperparameters of a {@link WaveNet}.
 *
 * @param residual channels of the residual stream R (and of the gates)
 * @param skip channels of the skip connections and the head S
 * @param layersPerStack n: dilations 1, 2, 4, …, 2^(n−1) in each stack
 * @param stacks how many times the dilation cycle repeats
 * @param kernel kernel size of the dilated convolutions (2 in the paper)
 * @param classes μ + 1 output classes of the μ-law quantiser (256 for μ = 255)
 */
public record WaveNetConfig(int residual, int skip, int layersPerStack, int stacks, int kernel, int classes) {

    /** Validates. */
    public WaveNetConfig {
        if (residual < 1 || skip < 1 || layersPerStack < 1 || stacks < 1) {
            throw new IllegalArgumentException("residual, skip, layersPerStack and stacks must be >= 1, got "
                    + residual + ", " + skip + ", " + layersPerStack + ", " + stacks);
        }
        if (kernel < 2) {
            throw new IllegalArgumentException("kernel must be >= 2, got " + kernel);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be >= 2, got " + classes);
        }
    }

    /** @return 32 residual and 64 skip channels, 2 stacks of dilations 1…128, kernel 2, 256 classes */
    public static WaveNetConfig defaults() {
        return new WaveNetConfig(32, 64, 8, 2, 2, 256);
    }

    /**
     * @param layer index in [0, stacks·layersPerStack)
     * @return its dilation 2^(layer mod n)
     */
    public int dilation(int layer) {
        return 1 << (layer % layersPerStack);
    }

    /** @return stacks·layersPerStack */
    public int layers() {
        return stacks * layersPerStack;
    }

    /**
     * The receptive field: how many past samples the prediction of x_t sees. The first, mask-A
     * convolution (kernel 2) sees x_{t−1}; each dilated layer adds d(k − 1):
     *
     * <pre>
     *   R = 1 + (k − 1) Σ_layers d_l = 1 + (k − 1) · stacks · (2^n − 1)
     * </pre>
     *
     * @return R in samples
     */
    public int receptiveField() {
        return 1 + (kernel - 1) * stacks * ((1 << layersPerStack) - 1);
    }
}
