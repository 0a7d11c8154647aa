package io.gen4j.diffusion.discrete;

/**
 * The size of a {@link TokenTransformer}: a pre-norm transformer over sequences of tokens.
 *
 * @param inputStates how many token values the input embedding knows (vocabulary, plus the mask of
 *     the absorbing process or the start token of an autoregressive model)
 * @param outputs the width of the output per position (scores or logits)
 * @param length the sequence length L (learned position embeddings)
 * @param width the model width D, divisible by heads
 * @param depth the number of transformer layers, at least 1
 * @param heads attention heads
 * @param causal whether position i sees only positions &lt;= i (an autoregressive model) instead of
 *     the whole sequence (a diffusion denoiser)
 * @param timeConditioned whether the network takes a time t in [0, 1] (added to every position
 *     through a sinusoidal embedding and an MLP)
 */
public record TransformerConfig(int inputStates, int outputs, int length, int width, int depth, int heads,
        boolean causal, boolean timeConditioned) {

    /** Validates. */
    public TransformerConfig {
        if (inputStates < 2 || outputs < 1 || length < 1 || depth < 1 || heads < 1) {
            throw new IllegalArgumentException("need inputStates >= 2, outputs, length, depth, heads >= 1, got "
                    + inputStates + ", " + outputs + ", " + length + ", " + depth + ", " + heads);
        }
        if (width < 2 || width % 2 != 0 || width % heads != 0) {
            throw new IllegalArgumentException("width must be even and divisible by heads " + heads + ", got " + width);
        }
    }
}
