package io.gen4j.diffusion.discrete;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * A character vocabulary: token i is the i-th code point of {@code characters}. Built from a text
 * ({@link #fromText}: its distinct code points in ascending order) and saved with a model as that
 * string.
 *
 * @param characters the code points, each once
 */
public record Alphabet(String characters) {

    /** Validates. */
    public Alphabet {
        if (characters == null || characters.isEmpty()) {
            throw new IllegalArgumentException("an alphabet needs at least one character");
        }
        int[] cps = characters.codePoints().toArray();
        if (Arrays.stream(cps).distinct().count() != cps.length) {
            throw new IllegalArgumentException("the characters of an alphabet must be distinct");
        }
    }

    /**
     * @param characters the code points
     * @return the alphabet
     */
    public static Alphabet of(String characters) {
        return new Alphabet(characters);
    }

    /**
     * @param text any text
     * @return its distinct code points, ascending
     */
    public static Alphabet fromText(String text) {
        TreeSet<Integer> set = new TreeSet<>();
        text.codePoints().forEach(set::add);
        StringBuilder b = new StringBuilder();
        set.forEach(b::appendCodePoint);
        return new Alphabet(b.toString());
    }

    /** @return N, the number of tokens */
    public int size() {
        return characters.codePointCount(0, characters.length());
    }

    /**
     * @param text a text made of this alphabet's characters
     * @return its tokens
     * @throws IllegalArgumentException at the first character not in the alphabet
     */
    public int[] encode(String text) {
        Map<Integer, Integer> index = new HashMap<>();
        int[] cps = characters.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            index.put(cps[i], i);
        }
        return text.codePoints().map(c -> {
            Integer i = index.get(c);
            if (i == null) {
                throw new IllegalArgumentException("character U+" + Integer.toHexString(c) + " is not in the alphabet");
            }
            return i;
        }).toArray();
    }

    /**
     * @param tokens ids
     * @param unknown shown for ids outside [0, N) (the mask)
     * @return the text
     */
    public String decode(long[] tokens, char unknown) {
        int[] cps = characters.codePoints().toArray();
        StringBuilder b = new StringBuilder();
        for (long t : tokens) {
            if (t >= 0 && t < cps.length) {
                b.appendCodePoint(cps[(int) t]);
            } else {
                b.append(unknown);
            }
        }
        return b.toString();
    }

    /**
     * @param tokens ids (N, L) or (L), any numeric type
     * @param unknown shown for ids outside [0, N)
     * @return one string per sequence
     */
    public String[] decode(NDArray tokens, char unknown) {
        long[] all = tokens.toType(DataType.INT64, false).toLongArray();
        long length = tokens.getShape().get(tokens.getShape().dimension() - 1);
        String[] out = new String[(int) (all.length / length)];
        for (int i = 0; i < out.length; i++) {
            out[i] = decode(Arrays.copyOfRange(all, (int) (i * length), (int) ((i + 1) * length)), unknown);
        }
        return out;
    }
}
