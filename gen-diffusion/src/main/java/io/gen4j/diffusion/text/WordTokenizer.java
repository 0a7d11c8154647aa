package io.gen4j.diffusion.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A word-level tokenizer over a closed vocabulary: the small stand-in for Stable Diffusion's CLIP BPE
 * tokenizer (49 408 tokens, 77 positions). A caption becomes a fixed-length row
 *
 * <pre>
 *   [&lt;start&gt;, w_1, …, w_k, &lt;pad&gt;, …, &lt;pad&gt;]     length L, mask 1 on &lt;start&gt; and the words, 0 on padding
 * </pre>
 *
 * Words are lower-cased runs of letters, digits and hyphens; a word outside the vocabulary is
 * {@code <unk>}; words beyond L − 1 are dropped. The empty caption {@code ""} is the <em>null
 * caption</em> of classifier-free guidance: only {@code <start>}, so cross-attention always has at
 * least one key to attend to. Ids: 0 {@code <pad>}, 1 {@code <start>}, 2 {@code <unk>}, then the
 * vocabulary in the given order. A record, saved as JSON inside a model's spec.
 *
 * @param vocabulary the words (without the three special tokens), distinct
 * @param length L, positions per caption including {@code <start>}, &gt;= 2
 */
public record WordTokenizer(List<String> vocabulary, int length) {

    /** Id of padding. */
    public static final int PAD = 0;
    /** Id of the start token, present in every caption. */
    public static final int START = 1;
    /** Id of an unknown word. */
    public static final int UNKNOWN = 2;
    private static final int SPECIAL = 3;

    /** Validates and copies. */
    public WordTokenizer {
        if (vocabulary == null || vocabulary.isEmpty()) {
            throw new IllegalArgumentException("the vocabulary needs at least one word");
        }
        vocabulary = List.copyOf(vocabulary);
        if (vocabulary.stream().distinct().count() != vocabulary.size()) {
            throw new IllegalArgumentException("vocabulary words must be distinct");
        }
        if (length < 2) {
            throw new IllegalArgumentException("length must be >= 2 (<start> and one word), got " + length);
        }
    }

    /**
     * @param vocabulary the words
     * @param maxWords the longest caption in words
     * @return a tokenizer with L = maxWords + 1
     */
    public static WordTokenizer of(List<String> vocabulary, int maxWords) {
        return new WordTokenizer(vocabulary, maxWords + 1);
    }

    /** @return the number of ids, special tokens included */
    public int size() {
        return vocabulary.size() + SPECIAL;
    }

    /**
     * @param text any text
     * @return its words: lower-cased runs of letters, digits and hyphens
     */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}-]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    /**
     * @param text a caption ("" for the null caption)
     * @return L ids
     */
    public int[] ids(String text) {
        Map<String, Integer> index = index();
        int[] ids = new int[length];
        ids[0] = START;
        List<String> w = words(text);
        for (int i = 0; i < Math.min(w.size(), length - 1); i++) {
            ids[i + 1] = index.getOrDefault(w.get(i), UNKNOWN);
        }
        return ids;
    }

    /**
     * @param ids L ids
     * @return the words they stand for, without {@code <start>} and padding
     */
    public String text(int[] ids) {
        StringBuilder b = new StringBuilder();
        for (int id : ids) {
            if (id == PAD || id == START) {
                continue;
            }
            b.append(b.length() == 0 ? "" : " ").append(id == UNKNOWN ? "<unk>" : vocabulary.get(id - SPECIAL));
        }
        return b.toString();
    }

    /**
     * Tokenizes a batch.
     *
     * @param texts N captions
     * @param manager the manager of the result
     * @return ids (N, L) int32 and mask (N, L) float32 (1 for {@code <start>} and words)
     */
    public NDList encode(List<String> texts, NDManager manager) {
        int[] ids = new int[texts.size() * length];
        float[] mask = new float[ids.length];
        for (int i = 0; i < texts.size(); i++) {
            int[] row = ids(texts.get(i));
            System.arraycopy(row, 0, ids, i * length, length);
            for (int j = 0; j < length; j++) {
                mask[i * length + j] = row[j] == PAD ? 0f : 1f;
            }
        }
        Shape shape = new Shape(texts.size(), length);
        return new NDList(manager.create(ids, shape), manager.create(mask, shape));
    }

    /**
     * @param ids (N, L) ids of any integer or float type
     * @return the mask (N, L), float32: 1 where the id is not padding, in the manager of ids
     */
    public static NDArray mask(NDArray ids) {
        return ids.toType(DataType.INT32, false).neq(PAD).toType(DataType.FLOAT32, false);
    }

    private Map<String, Integer> index() {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < vocabulary.size(); i++) {
            index.put(vocabulary.get(i), i + SPECIAL);
        }
        return index;
    }

    @Override
    public String toString() {
        return "WordTokenizer[" + vocabulary.size() + " words, L = " + length + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WordTokenizer t && length == t.length && vocabulary.equals(t.vocabulary);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new Object[] {vocabulary, length});
    }
}
