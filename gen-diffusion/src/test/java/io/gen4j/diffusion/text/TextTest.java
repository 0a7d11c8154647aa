package io.gen4j.diffusion.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.data.BatchOrder;
import io.gen4j.core.data.TensorBatches;
import io.gen4j.core.testing.BlockChecks;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tokenizer, captions, text encoder and captioned batches. */
class TextTest {

    private static final WordTokenizer TOKENIZER = WordTokenizer.of(FashionCaptions.vocabulary(),
            FashionCaptions.maxWords());
    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(5);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void tokenizerPadsMarksTheStartAndHasANullCaption() {
        WordTokenizer t = new WordTokenizer(List.of("a", "pair", "of", "trousers"), 6);
        assertArrayEquals(new int[] {1, 3, 4, 5, 6, 0}, t.ids("A pair of Trousers!"));
        assertArrayEquals(new int[] {1, 3, 2, 0, 0, 0}, t.ids("a dress"));
        assertArrayEquals(new int[] {1, 0, 0, 0, 0, 0}, t.ids(""));
        assertArrayEquals(new int[] {1, 3, 3, 3, 3, 3}, t.ids("a a a a a a a a"));
        assertEquals("a pair of trousers", t.text(t.ids("a pair of trousers")));
        NDList batch = t.encode(List.of("a pair", ""), manager);
        assertArrayEquals(new float[] {1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0}, batch.get(1).toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> new WordTokenizer(List.of("a", "a"), 4));
    }

    @Test
    void everyCaptionIsCoveredByTheVocabularyAndFits() {
        Random random = new Random(1);
        for (int i = 0; i < 2000; i++) {
            int label = i % 10;
            String caption = FashionCaptions.caption(label, random);
            int[] ids = TOKENIZER.ids(caption);
            for (int id : ids) {
                assertTrue(id != WordTokenizer.UNKNOWN, "unknown word in '" + caption + "'");
            }
            assertEquals(caption, TOKENIZER.text(ids), "caption truncated");
        }
        assertEquals("a photo of a pair of trousers", FashionCaptions.prompt(1));
        assertThrows(IllegalArgumentException.class, () -> FashionCaptions.caption(10, random));
    }

    @Test
    void cifarAndFolderCaptionsNameTheirClassAndFitTheirTokenizer() {
        List<List<String>> cifarNames = List.of(List.of("airplane", "aeroplane", "plane", "passenger jet"),
                List.of("car", "automobile", "sedan", "small car"), List.of("bird", "small bird", "sparrow"),
                List.of("cat", "kitten", "house cat"), List.of("deer", "young deer", "stag"),
                List.of("dog", "puppy", "small dog"), List.of("frog", "toad", "green frog"),
                List.of("horse", "pony", "brown horse"), List.of("ship", "boat", "cargo ship"),
                List.of("truck", "lorry", "delivery truck"));
        LabelCaptions cifar = LabelCaptions.CIFAR10;
        WordTokenizer tokenizer = WordTokenizer.of(cifar.vocabulary(), cifar.maxWords());
        Random random = new Random(2);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 3000; i++) {
            int label = i % 10;
            String caption = cifar.caption(label, random);
            seen.add(caption);
            int[] ids = tokenizer.ids(caption);
            for (int id : ids) {
                assertTrue(id != WordTokenizer.UNKNOWN, "unknown word in '" + caption + "'");
            }
            assertEquals(caption, tokenizer.text(ids), "caption truncated");
            // the caption names its own class and no other
            for (int other = 0; other < 10; other++) {
                boolean names = false;
                for (String n : cifarNames.get(other)) {
                    names |= (" " + caption + " ").contains(" " + n + " ");
                }
                assertEquals(other == label, names, "'" + caption + "' (label " + label + ") vs class " + other);
            }
        }
        assertTrue(seen.size() > 200, "only " + seen.size() + " distinct captions");
        assertEquals(List.of("a photo of an airplane", "a photo of a car", "a photo of a bird", "a photo of a cat",
                "a photo of a deer", "a photo of a dog", "a photo of a frog", "a photo of a horse", "a photo of a ship",
                "a photo of a truck"), cifar.prompts());
        assertEquals(10, cifar.classes());
        assertEquals("a photo of a dark car", cifar.prompt(1, 0));
        assertEquals("a photo of a dark pair of trousers", LabelCaptions.FASHION_MNIST.prompt(1, 0));
        assertThrows(IllegalArgumentException.class, () -> cifar.prompt(1, 5));
        assertThrows(IllegalArgumentException.class, () -> cifar.prompt(10));
        // the static FashionMNIST captions are the FASHION_MNIST set
        assertEquals(FashionCaptions.prompts(), LabelCaptions.FASHION_MNIST.prompts());
        assertEquals(FashionCaptions.vocabulary(), LabelCaptions.FASHION_MNIST.vocabulary());
        LabelCaptions folder = LabelCaptions.ofClassNames(List.of("ankle_boot", "Red-Apple"));
        assertEquals(List.of("a photo of an ankle boot", "a photo of a red apple"), folder.prompts());
        assertTrue(folder.vocabulary().containsAll(List.of("an", "ankle", "boot", "red", "apple", "photo")));
        assertThrows(IllegalArgumentException.class, () -> LabelCaptions.ofClassNames(List.of("__")));
        assertThrows(IllegalArgumentException.class,
                () -> new LabelCaptions(List.of(List.of("cat")), List.of("dark"), List.of("a photo")));
    }

    private TextEncoder encoder() {
        TextEncoder e = new TextEncoder(TextEncoderConfig.of(TOKENIZER, 16, 2, 2));
        Shape s = new Shape(3, TOKENIZER.length());
        e.initialize(manager, DataType.FLOAT32, s, s);
        return e;
    }

    @Test
    void paddedPositionsDoNotChangeTheRealOnes() {
        TextEncoder e = encoder();
        NDList tokens = TOKENIZER.encode(List.of("a pair of trousers", "bag", "a photo of a dark ankle boot"), manager);
        NDArray ids = tokens.get(0);
        NDArray mask = tokens.get(1);
        NDArray out = e.forward(new ParameterStore(manager, false), new NDList(ids, mask), false).head();
        // put real words at padded positions, keep the mask
        NDArray changed = ids.duplicate();
        changed.set(new NDIndex("0, 5:"), 7);
        changed.set(new NDIndex("1, 2:"), 9);
        NDArray out2 = e.forward(new ParameterStore(manager, false), new NDList(changed, mask), false).head();
        NDArray m = mask.expandDims(2);
        assertArrayEquals(out.mul(m).toFloatArray(), out2.mul(m).toFloatArray(), 1e-5f);
        // and the words themselves matter
        NDArray other = TOKENIZER.encode(List.of("a pair of jeans", "bag", "a photo of a dark ankle boot"), manager)
                .get(0);
        NDArray out3 = e.forward(new ParameterStore(manager, false), new NDList(other, mask), false).head();
        assertFalse(out.get(0).allClose(out3.get(0), 1e-4, 1e-4, false));
    }

    @Test
    void textEncoderSaveLoadAndNoLeak() {
        NDList tokens = TOKENIZER.encode(List.of("a coat", "a small sneaker", ""), manager);
        NDList inputs = new NDList(tokens.get(0).toType(DataType.FLOAT32, false), tokens.get(1));
        BlockChecks.assertSaveLoadRoundTrip(manager, () -> new TextEncoder(TextEncoderConfig.of(TOKENIZER, 16, 2, 2)),
                inputs);
        try (NDManager model = NDManager.newBaseManager()) {
            BlockChecks.assertForwardDoesNotGrowModelManager(model,
                    new TextEncoder(TextEncoderConfig.of(TOKENIZER, 16, 2, 2)), inputs);
        }
    }

    @Test
    void captionedBatchesAreAFunctionOfThePosition() {
        int n = 20;
        float[] data = new float[n * 2];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            data[2 * i] = i;
            labels[i] = i % 10;
        }
        CaptionedBatches a = new CaptionedBatches(new TensorBatches(data, new long[] {2}, labels,
                new BatchOrder(n, 4, 3, true)), FashionCaptions::caption, TOKENIZER, 9);
        CaptionedBatches b = new CaptionedBatches(new TensorBatches(data, new long[] {2}, labels,
                new BatchOrder(n, 4, 3, true)), FashionCaptions::caption, TOKENIZER, 9);
        a.next(manager);
        a.next(manager);
        NDList third = a.next(manager);
        assertEquals(3, third.size());
        b.seek(2);
        NDList again = b.next(manager);
        assertArrayEquals(third.get(0).toFloatArray(), again.get(0).toFloatArray());
        assertArrayEquals(third.get(1).toIntArray(), again.get(1).toIntArray());
        assertArrayEquals(third.get(2).toFloatArray(), again.get(2).toFloatArray());
    }
}
