package io.gen4j.diffusion.discrete;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Text data: the character vocabulary, the reader, the position split, the windows, the KJV locator, the Markov language. */
class SeddTextTest {

    @Test
    void aTextRoundTripsThroughItsAlphabet(@TempDir Path dir) throws IOException {
        String text = "In the beginning — Ωμέγα\r\nand the end.\n";
        Path file = dir.resolve("t.txt");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        TextCorpus corpus = TextCorpus.read(file);
        String normalised = text.replace("\r\n", "\n");
        assertEquals(normalised.codePoints().distinct().count(), corpus.alphabet().size());
        assertEquals(normalised, corpus.alphabet().decode(java.util.Arrays.stream(corpus.tokens()).asLongStream()
                .toArray(), '?'));
        assertThrows(IllegalArgumentException.class, () -> corpus.alphabet().encode("xyz#"));
        Files.write(dir.resolve("bad.txt"), new byte[] {(byte) 0xC3, (byte) 0x28});
        IOException e = assertThrows(IOException.class, () -> TextCorpus.read(dir.resolve("bad.txt")));
        assertTrue(e.getMessage().contains("UTF-8"));
    }

    @Test
    void theSplitIsByPosition() {
        TextCorpus corpus = TextCorpus.of("abcdefghij");
        TextCorpus[] parts = corpus.split(0.8);
        assertArrayEquals(java.util.Arrays.copyOfRange(corpus.tokens(), 0, 8), parts[0].tokens());
        assertArrayEquals(java.util.Arrays.copyOfRange(corpus.tokens(), 8, 10), parts[1].tokens());
        assertEquals(corpus.alphabet(), parts[1].alphabet());
        long[][] w = corpus.windows(3, 10);
        assertEquals(3, w.length);
        assertArrayEquals(new long[] {3, 4, 5}, w[1]);
    }

    @Test
    void windowsAreAFunctionOfThePosition() {
        int[] stream = new int[100];
        for (int i = 0; i < stream.length; i++) {
            stream[i] = i;
        }
        try (NDManager m = NDManager.newBaseManager()) {
            TokenWindows a = new TokenWindows(stream, 5, 3, 1);
            long[] first = a.next(m).head().toLongArray();
            long[] second = a.next(m).head().toLongArray();
            assertNotEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(second));
            for (int b = 0; b < 3; b++) {
                for (int i = 1; i < 5; i++) {
                    assertEquals(first[b * 5] + i, first[b * 5 + i], "windows are consecutive tokens");
                }
            }
            TokenWindows c = new TokenWindows(stream, 5, 3, 1);
            c.seek(1);
            NDList again = c.next(m);
            assertArrayEquals(second, again.head().toLongArray());
        }
    }

    @Test
    void theBibleReferenceIsStrippedAndTheLocatorSaysWhatItTried(@TempDir Path dir) throws IOException {
        String raw = "Ge1:1 In the beginning God created the heaven and the earth.\n"
                + "1Chr1:1 Adam, Sheth, Enosh,\nRev22:21 The grace of our Lord Jesus Christ be with you all. Amen.\n";
        assertEquals("In the beginning God created the heaven and the earth.\nAdam, Sheth, Enosh,\n"
                + "The grace of our Lord Jesus Christ be with you all. Amen.\n", KjvText.toPlainText(raw));
        Path given = dir.resolve("mine.txt");
        Files.writeString(given, "hello");
        assertEquals(given, KjvText.locate(Optional.of(given), Map.of(), dir, dir.resolve("no-bible"),
                dir.resolve("no-data")));
        IOException e = assertThrows(IOException.class, () -> KjvText.locate(Optional.empty(), Map.of(), dir,
                dir.resolve("no-bible"), dir.resolve("no-data")));
        assertTrue(e.getMessage().contains("apt-get install bible-kjv-text"), e.getMessage());
        assertTrue(e.getMessage().contains("GEN4J_KJV"), e.getMessage());
    }

    @Test
    void theMarkovLanguageHasTheEntropyOfItsDefinition() {
        MarkovLanguage lang = new MarkovLanguage(new double[][] {{0.5, 0.5}, {1.0, 0.0}});
        // π = (2/3, 1/3), h = 2/3 · log 2
        assertArrayEquals(new double[] {2.0 / 3, 1.0 / 3}, lang.stationary(), 1e-12);
        assertEquals(2.0 / 3 * Math.log(2), lang.entropyRate(), 1e-12);
        double h0 = -(2.0 / 3 * Math.log(2.0 / 3) + 1.0 / 3 * Math.log(1.0 / 3));
        assertEquals(h0 + 4 * 2.0 / 3 * Math.log(2), lang.sequenceEntropy(5), 1e-12);
        // the empirical code length of a long stream tends to the entropy rate
        MarkovLanguage random = MarkovLanguage.randomSparse(6, 3, 3);
        int[] s = random.stream(200_000, 4);
        double[][] p = random.transition();
        double nll = 0;
        for (int i = 1; i < s.length; i++) {
            nll -= Math.log(p[s[i - 1]][s[i]]);
        }
        assertEquals(random.entropyRate(), nll / (s.length - 1), 0.01);
    }
}
