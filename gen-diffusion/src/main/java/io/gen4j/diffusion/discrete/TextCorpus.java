package io.gen4j.diffusion.discrete;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A character-level text as tokens: any UTF-8 file (a book of your own, the King James Bible of
 * {@link KjvText}) read whole, its {@link Alphabet} and the token of every character. {@link
 * #split} cuts it by position (the first part for training, the rest for testing), so no test
 * sentence is seen in training, unlike a random split of overlapping windows.
 *
 * @param alphabet the vocabulary
 * @param tokens the text as token ids
 */
public record TextCorpus(Alphabet alphabet, int[] tokens) {

    /** Validates and copies. */
    public TextCorpus {
        if (alphabet == null || tokens == null || tokens.length == 0) {
            throw new IllegalArgumentException("a corpus needs an alphabet and at least one token");
        }
        tokens = tokens.clone();
        int n = alphabet.size();
        for (int t : tokens) {
            if (t < 0 || t >= n) {
                throw new IllegalArgumentException("token " + t + " is outside the alphabet of " + n);
            }
        }
    }

    /**
     * @param text the text
     * @return the corpus over the text's own alphabet
     */
    public static TextCorpus of(String text) {
        Alphabet a = Alphabet.fromText(text);
        return new TextCorpus(a, a.encode(text));
    }

    /**
     * Reads a UTF-8 file; Windows line ends become '\n'.
     *
     * @param file the text
     * @return the corpus over the file's alphabet
     * @throws IOException when it cannot be read or is not valid UTF-8 (the message names the file)
     */
    public static TextCorpus read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(file + " is not valid UTF-8: " + e.getMessage(), e);
        }
        text = text.replace("\r\n", "\n");
        if (text.isEmpty()) {
            throw new IOException(file + " is empty");
        }
        return of(text);
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    /** @return the number of tokens */
    public int size() {
        return tokens.length;
    }

    /**
     * @param trainFraction the share of the first part, in (0, 1)
     * @return [train, test]: the first ⌊fraction·size⌋ tokens and the rest, over the same alphabet
     */
    public TextCorpus[] split(double trainFraction) {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("trainFraction must be in (0, 1), got " + trainFraction);
        }
        int cut = (int) (tokens.length * trainFraction);
        if (cut == 0 || cut == tokens.length) {
            throw new IllegalArgumentException("the corpus of " + tokens.length + " tokens is too short to split");
        }
        return new TextCorpus[] {
            new TextCorpus(alphabet, Arrays.copyOfRange(tokens, 0, cut)),
            new TextCorpus(alphabet, Arrays.copyOfRange(tokens, cut, tokens.length))
        };
    }

    /**
     * Non-overlapping windows from the start, for evaluation.
     *
     * @param length L
     * @param count at most this many windows
     * @return the windows, each of L tokens
     */
    public long[][] windows(int length, int count) {
        int available = tokens.length / length;
        if (available == 0) {
            throw new IllegalArgumentException("the corpus of " + tokens.length + " tokens has no window of " + length);
        }
        long[][] out = new long[Math.min(count, available)][length];
        for (int w = 0; w < out.length; w++) {
            for (int i = 0; i < length; i++) {
                out[w][i] = tokens[w * length + i];
            }
        }
        return out;
    }
}
