package io.gen4j.autoregressive;

/**
 * How {@link PixelCnnModel#sample(ai.djl.ndarray.NDManager, int, io.gen4j.core.model.SampleOptions, PixelCnnSampler)}
 * computes each pixel's conditional. All four draw the same random numbers in the same order from conditionals
 * that are the same function of the pixels drawn so far, so for the same seed they give the same samples (up to
 * float rounding, which can move a draw only when its uniform number falls within rounding of the probability);
 * the test suite checks them against each other.
 */
public enum PixelCnnSampler {
    /** The whole network on the whole image, for every pixel: H·W evaluations of an H×W network. */
    NAIVE,
    /**
     * The whole network on the band of rows a pixel can see ({@link PixelCnnConfig#rowsAbove()} rows above and its
     * own): a fixed cost per pixel instead of one growing with H.
     */
    BANDED,
    /**
     * Gated architecture only: per row, the vertical stack once on the band above it ({@link PixelCnn.RowSampler#context});
     * per pixel, the horizontal stack and the head on its own row ({@link PixelCnn.RowSampler#conditionals}): one row of
     * the network per pixel instead of a band of {@code rowsAbove() + 1} rows and both stacks.
     */
    ROW_CACHED,
    /**
     * Gated architecture only, and its default: as {@link #ROW_CACHED} per row; per pixel, each layer of the horizontal
     * stack at that pixel's column alone, from the activations of the columns to its left kept from the pixels before
     * it ({@link PixelCnn.PixelSteps}; fast generation, Ramachandran et al. 2017): one small product per layer instead of
     * the layer on the whole row.
     */
    PIXEL_CACHED
}
