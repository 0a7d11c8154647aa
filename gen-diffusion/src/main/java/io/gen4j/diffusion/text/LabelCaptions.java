package io.gen4j.diffusion.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.TreeSet;

/**
 * Captions built from class labels with templates, synonyms and adjectives, so that a text encoder
 * sees varied phrasing ("a pair of trousers", "a blurry photo of a puppy", "lorry") rather than one
 * fixed string per class. A stand-in for the image–caption pairs (LAION) Stable Diffusion is trained
 * on: the captions say nothing beyond the class, and an adjective such as "dark" is drawn at random,
 * not read from the image.
 *
 * <p>{@link #FASHION_MNIST} (also behind {@link FashionCaptions}) and {@link #CIFAR10} are the
 * datasets' caption sets; {@link #ofClassNames} captions any labelled image folder by its class
 * names. {@link #caption(int, Random)} draws one caption; {@link #prompt(int)} is the canonical
 * prompt of a class ("a photo of a " + its first name, "an" before a vowel); {@link #vocabulary()}
 * lists every word any caption can contain, for {@link WordTokenizer#of}.
 */
public final class LabelCaptions {

    /** FashionMNIST's ten classes ("a pair of trousers", "a dark ankle boot", ...). */
    public static final LabelCaptions FASHION_MNIST = new LabelCaptions(List.of(
            List.of("t-shirt", "top", "tee", "short sleeved top"),
            List.of("pair of trousers", "pair of pants", "pair of jeans"),
            List.of("pullover", "sweater", "jumper", "knitted sweater"),
            List.of("dress", "summer dress", "long dress"),
            List.of("coat", "jacket", "winter coat"),
            List.of("sandal", "pair of sandals", "summer sandal"),
            List.of("shirt", "button shirt", "blouse"),
            List.of("sneaker", "trainer", "running shoe"),
            List.of("bag", "handbag", "purse"),
            List.of("ankle boot", "pair of ankle boots", "short boot")),
            List.of("dark", "light", "plain", "grey", "simple"),
            List.of("a photo of a %s", "a %s", "%s", "an image of a %s", "a picture of a %s", "a small %s",
                    "a photo of a %a %s", "a %a %s"));

    /**
     * CIFAR-10's ten classes in label order (airplane, automobile, bird, cat, deer, dog, frog, horse,
     * ship, truck), with templates after those CLIP uses for CIFAR ("a blurry photo of a %s", "a low
     * resolution photo of a %s").
     */
    public static final LabelCaptions CIFAR10 = new LabelCaptions(List.of(
            List.of("airplane", "aeroplane", "plane", "passenger jet"),
            List.of("car", "automobile", "sedan", "small car"),
            List.of("bird", "small bird", "sparrow"),
            List.of("cat", "kitten", "house cat"),
            List.of("deer", "young deer", "stag"),
            List.of("dog", "puppy", "small dog"),
            List.of("frog", "toad", "green frog"),
            List.of("horse", "pony", "brown horse"),
            List.of("ship", "boat", "cargo ship"),
            List.of("truck", "lorry", "delivery truck")),
            List.of("dark", "bright", "blurry", "distant", "small"),
            List.of("a photo of a %s", "a %s", "%s", "a blurry photo of a %s", "a picture of a %s",
                    "a low resolution photo of a %s", "a photo of a %a %s", "a %a %s"));

    private static final List<String> GENERIC_ADJECTIVES = List.of("dark", "light", "small", "large");

    private static final List<String> GENERIC_TEMPLATES = List.of("a photo of a %s", "a %s", "%s",
            "a picture of a %s", "a photo of a %a %s", "a %a %s");

    private final List<List<String>> names;
    private final List<String> adjectives;
    private final List<String> templates;

    /**
     * @param names per class (index = label), its names: the first is the canonical one, the others
     *     synonyms; at least one class, each with at least one name
     * @param adjectives the words a template's {@code %a} is replaced by, at least one
     * @param templates caption patterns: {@code %s} = a name of the class, {@code %a} = an adjective;
     *     each contains {@code %s}
     */
    public LabelCaptions(List<List<String>> names, List<String> adjectives, List<String> templates) {
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(adjectives, "adjectives");
        Objects.requireNonNull(templates, "templates");
        if (names.isEmpty() || names.stream().anyMatch(n -> n == null || n.isEmpty())) {
            throw new IllegalArgumentException("every one of the at least one classes needs at least one name, got "
                    + names);
        }
        if (adjectives.isEmpty() || templates.isEmpty()) {
            throw new IllegalArgumentException("at least one adjective and one template are needed, got " + adjectives
                    + " and " + templates);
        }
        for (String t : templates) {
            if (!t.contains("%s")) {
                throw new IllegalArgumentException("template '" + t + "' has no %s (the class name)");
            }
        }
        this.names = names.stream().map(List::copyOf).toList();
        this.adjectives = List.copyOf(adjectives);
        this.templates = List.copyOf(templates);
    }

    /**
     * Captions for a labelled image folder: one name per class, its folder name with {@code _} and
     * {@code -} read as spaces ("ankle_boot" → "a photo of an ankle boot"), generic templates and
     * adjectives.
     *
     * @param classNames the class names, index = label
     * @return the captions
     */
    public static LabelCaptions ofClassNames(List<String> classNames) {
        List<List<String>> names = new ArrayList<>();
        for (String c : classNames) {
            String name = String.join(" ", WordTokenizer.words(c.replace('_', ' ').replace('-', ' ')));
            if (name.isEmpty()) {
                throw new IllegalArgumentException("class name '" + c + "' has no letter or digit to caption");
            }
            names.add(List.of(name));
        }
        return new LabelCaptions(names, GENERIC_ADJECTIVES, GENERIC_TEMPLATES);
    }

    /** @return the number of classes */
    public int classes() {
        return names.size();
    }

    /**
     * @param label a class in [0, classes − 1]
     * @param random the source of the template, synonym and adjective choices
     * @return a caption of that class
     */
    public String caption(int label, Random random) {
        check(label);
        List<String> n = names.get(label);
        String name = n.get(random.nextInt(n.size()));
        String template = templates.get(random.nextInt(templates.size()));
        String adjective = adjectives.get(random.nextInt(adjectives.size()));
        return articles(template.replace("%a", adjective).replace("%s", name));
    }

    /**
     * @param label a class in [0, classes − 1]
     * @return the canonical prompt, "a photo of a(n) " + the first name
     */
    public String prompt(int label) {
        check(label);
        return articles("a photo of a " + names.get(label).get(0));
    }

    /**
     * @param label a class in [0, classes − 1]
     * @param adjective an index into the adjectives, in [0, their number − 1]
     * @return "a photo of a(n) " + that adjective + the first name ("a photo of a dark pair of
     *     trousers")
     */
    public String prompt(int label, int adjective) {
        check(label);
        if (adjective < 0 || adjective >= adjectives.size()) {
            throw new IllegalArgumentException("adjective must be in [0, " + (adjectives.size() - 1) + "], got "
                    + adjective);
        }
        return articles("a photo of a " + adjectives.get(adjective) + " " + names.get(label).get(0));
    }

    /** @return the canonical prompts, in label order */
    public List<String> prompts() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            out.add(prompt(i));
        }
        return out;
    }

    /** @return every word of every possible caption, sorted */
    public List<String> vocabulary() {
        TreeSet<String> words = new TreeSet<>();
        List<String> texts = new ArrayList<>(templates);
        names.forEach(texts::addAll);
        texts.addAll(adjectives);
        texts.add("an");
        for (String t : texts) {
            words.addAll(WordTokenizer.words(t.replace("%a", "").replace("%s", "")));
        }
        return List.copyOf(words);
    }

    /** @return the longest caption in words */
    public int maxWords() {
        int longest = 0;
        for (String t : templates) {
            for (List<String> n : names) {
                for (String name : n) {
                    for (String a : adjectives) {
                        longest = Math.max(longest, WordTokenizer.words(t.replace("%a", a).replace("%s", name)).size());
                    }
                }
            }
        }
        return longest;
    }

    /** "a" before a vowel becomes "an" ("an ankle boot"). */
    private static String articles(String text) {
        return text.replaceAll("\\ba (?=[aeiou])", "an ");
    }

    private void check(int label) {
        if (label < 0 || label >= names.size()) {
            throw new IllegalArgumentException("label must be in [0, " + (names.size() - 1) + "], got " + label);
        }
    }
}
