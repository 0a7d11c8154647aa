package io.gen4j.diffusion.text;

import java.util.List;
import java.util.Random;

/**
 * Captions for FashionMNIST images built from their class labels with templates, synonyms and
 * adjectives, so that a text encoder sees varied phrasing ("a pair of trousers", "a photo of a dark
 * ankle boot", "sneaker") rather than ten fixed strings: the static form of {@link
 * LabelCaptions#FASHION_MNIST} (see there).
 *
 * <p>{@link #caption(int, Random)} draws one caption; {@link #prompt(int)} is the canonical prompt
 * of a class ("a photo of a t-shirt"); {@link #vocabulary()} lists every word any caption can
 * contain, for {@link WordTokenizer#of}.
 */
public final class FashionCaptions {

    /** Class names of FashionMNIST, index = label. */
    public static final List<String> CLASSES = List.of("t-shirt/top", "trouser", "pullover", "dress", "coat",
            "sandal", "shirt", "sneaker", "bag", "ankle boot");

    private FashionCaptions() {}

    /**
     * @param label a class in [0, 9]
     * @param random the source of the template, synonym and adjective choices
     * @return a caption of that class
     */
    public static String caption(int label, Random random) {
        return LabelCaptions.FASHION_MNIST.caption(label, random);
    }

    /**
     * @param label a class in [0, 9]
     * @return the canonical prompt, "a photo of a(n) " + the first synonym
     */
    public static String prompt(int label) {
        return LabelCaptions.FASHION_MNIST.prompt(label);
    }

    /** @return the ten canonical prompts, in label order */
    public static List<String> prompts() {
        return LabelCaptions.FASHION_MNIST.prompts();
    }

    /** @return every word of every possible caption, sorted */
    public static List<String> vocabulary() {
        return LabelCaptions.FASHION_MNIST.vocabulary();
    }

    /** @return the longest caption in words */
    public static int maxWords() {
        return LabelCaptions.FASHION_MNIST.maxWords();
    }
}
