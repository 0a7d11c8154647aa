package io.gen4j.diffusion.text;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.BatchSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * Wraps a labelled {@link BatchSource} and replaces each batch's labels by freshly drawn captions:
 * {@code (x, labels)} becomes {@code (x, ids, mask)} through a caption function (e.g. {@link
 * FashionCaptions#caption}) and a {@link WordTokenizer}. The captions of the batch at position p are
 * drawn with {@code new Random(seed + p)}, so the stream stays a pure function of (seed, position)
 * and resumes exactly.
 */
public final class CaptionedBatches implements BatchSource {

    private final BatchSource labelled;
    private final BiFunction<Integer, Random, String> captions;
    private final WordTokenizer tokenizer;
    private final long seed;

    /**
     * @param labelled batches {@code (x, labels)}
     * @param captions label and random source to a caption
     * @param tokenizer the tokenizer
     * @param seed seed of the caption draws
     */
    public CaptionedBatches(BatchSource labelled, BiFunction<Integer, Random, String> captions,
            WordTokenizer tokenizer, long seed) {
        this.labelled = Objects.requireNonNull(labelled, "labelled");
        this.captions = Objects.requireNonNull(captions, "captions");
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.seed = seed;
    }

    @Override
    public NDList next(NDManager manager) {
        Random random = new Random(seed * 1_000_003L + labelled.position());
        NDList batch = labelled.next(manager);
        if (batch.size() < 2) {
            throw new IllegalArgumentException("the wrapped source must give (x, labels), got " + batch.size() + " arrays");
        }
        int[] labels = batch.get(1).toType(ai.djl.ndarray.types.DataType.INT32, false).toIntArray();
        List<String> texts = new ArrayList<>();
        for (int label : labels) {
            texts.add(captions.apply(label, random));
        }
        NDList tokens = tokenizer.encode(texts, manager);
        return new NDList(batch.get(0), tokens.get(0), tokens.get(1));
    }

    @Override
    public long position() {
        return labelled.position();
    }

    @Override
    public void seek(long position) {
        labelled.seek(position);
    }
}
