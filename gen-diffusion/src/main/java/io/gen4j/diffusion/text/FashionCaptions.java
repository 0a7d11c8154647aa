package io.gen4j.diffusion.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * Captions for FashionMNIST images built from their class labels with templates, synonyms and
 * adjectives, so that a text encoder sees varied phrasing ("a pair of trousers", "a photo of a dark
 * ankle boot", "sneaker") rather than ten fixed strings. A stand-in for the image–caption pairs
 * (LAION) Stable Diffusion is trained on: the captions say nothing beyond the class, and an
 * adjective such as "dark" is drawn at random, not read from the image.
 *
 * <p>{@link #caption(int, Random)} draws one caption; {@link #prompt(int)} is the canonical prompt
 * of a class ("a photo of a t-shirt"); {@link #vocabulary()} lists every word any caption can
 * contain, for {@link WordTokenizer#of}.
 */
public final class FashionCaptions {

    /** Class names of FashionMNIST, index = label. */
    public static final List<String> CLASSES = List.of("t-shirt/top", "trouser", "pullover", "dress", "coat",
            "sandal", "shirt", "sneaker", "bag", "ankle boot");

    private static final List<List<String>> NAMES = List.of(
            List.of("t-shirt", "top", "tee", "short sleeved top"),
            List.of("pair of trousers", "pair of pants", "pair of jeans"),
            List.of("pullover", "sweater", "jumper", "knitted sweater"),
            List.of("dress", "summer dress", "long dress"),
            List.of("coat", "jacket", "winter coat"),
            List.of("sandal", "pair of sandals", "summer sandal"),
            List.of("shirt", "button shirt", "blouse"),
            List.of("sneaker", "trainer", "running shoe"),
            List.of("bag", "handbag", "purse"),
            List.of("ankle boot", "pair of ankle boots", "short boot"));

    private static final List<String> ADJECTIVES = List.of("dark", "light", "plain", "grey", "simple");

    private static final List<String> TEMPLATES = List.of("a photo of a %s", "a %s", "%s", "an image of a %s",
            "a picture of a %s", "a small %s", "a photo of a %a %s", "a %a %s");

    private FashionCaptions() {}

    /**
     * @param label a class in [0, 9]
     * @param random the source of the template, synonym and adjective choices
     * @return a caption of that class
     */
    public static String caption(int label, Random random) {
        check(label);
        List<String> names = NAMES.get(label);
        String name = names.get(random.nextInt(names.size()));
        String template = TEMPLATES.get(random.nextInt(TEMPLATES.size()));
        String adjective = ADJECTIVES.get(random.nextInt(ADJECTIVES.size()));
        return articles(template.replace("%a", adjective).replace("%s", name));
    }

    /**
     * @param label a class in [0, 9]
     * @return the canonical prompt, "a photo of a(n) " + the first synonym
     */
    public static String prompt(int label) {
        check(label);
        return articles("a photo of a " + NAMES.get(label).get(0));
    }

    /** @return the ten canonical prompts, in label order */
    public static List<String> prompts() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < NAMES.size(); i++) {
            out.add(prompt(i));
        }
        return out;
    }

    /** @return every word of every possible caption, sorted */
    public static List<String> vocabulary() {
        TreeSet<String> words = new TreeSet<>();
        List<String> texts = new ArrayList<>(TEMPLATES);
        NAMES.forEach(texts::addAll);
        texts.addAll(ADJECTIVES);
        for (String t : texts) {
            words.addAll(WordTokenizer.words(t.replace("%a", "").replace("%s", "")));
        }
        return List.copyOf(words);
    }

    /** @return the longest caption in words */
    public static int maxWords() {
        int longest = 0;
        for (String t : TEMPLATES) {
            for (List<String> names : NAMES) {
                for (String n : names) {
                    longest = Math.max(longest, WordTokenizer.words(t.replace("%a", "dark").replace("%s", n)).size());
                }
            }
        }
        return longest;
    }

    /** "a" before a vowel becomes "an" ("an ankle boot"). */
    private static String articles(String text) {
        return text.replaceAll("\\ba (?=[aeiou])", "an ");
    }

    private static void check(int label) {
        if (label < 0 || label >= NAMES.size()) {
            throw new IllegalArgumentException("label must be in [0, " + (NAMES.size() - 1) + "], got " + label);
        }
    }
}
