package io.gen4j.diffusion.text;

/**
 * Sizes of a {@link TextEncoder}. Stable Diffusion v1's CLIP ViT-L/14 text encoder is vocabulary
 * 49 408, length 77, width 768, depth 12, heads 12 (123 M parameters); the defaults here are a few
 * hundred times smaller.
 *
 * @param vocabularySize ids, special tokens included (= {@link WordTokenizer#size()}), &gt;= 2
 * @param length L, positions (= {@link WordTokenizer#length()}), &gt;= 1
 * @param width D, the embedding width (the U-Net's context dimension), divisible by heads
 * @param depth transformer layers, &gt;= 1
 * @param heads attention heads, &gt;= 1
 */
public record TextEncoderConfig(int vocabularySize, int length, int width, int depth, int heads) {

    /** Validates. */
    public TextEncoderConfig {
        if (vocabularySize < 2 || length < 1 || depth < 1 || heads < 1) {
            throw new IllegalArgumentException("vocabularySize must be >= 2 and length, depth, heads >= 1, got "
                    + vocabularySize + ", " + length + ", " + depth + ", " + heads);
        }
        if (width < 1 || width % heads != 0) {
            throw new IllegalArgumentException("width must be >= 1 and divisible by heads " + heads + ", got " + width);
        }
    }

    /**
     * @param tokenizer the tokenizer whose ids the encoder reads
     * @param width D
     * @param depth layers
     * @param heads heads
     * @return the configuration
     */
    public static TextEncoderConfig of(WordTokenizer tokenizer, int width, int depth, int heads) {
        return new TextEncoderConfig(tokenizer.size(), tokenizer.length(), width, depth, heads);
    }
}
