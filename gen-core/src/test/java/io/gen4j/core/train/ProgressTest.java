package io.gen4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {

    /** A clock that advances half a second each time it is read. */
    private static java.util.function.LongSupplier halfSeconds() {
        long[] t = {0};
        return () -> t[0] += 500_000_000L;
    }

    @Test
    void formatsCountRateAndEta() {
        // 5 of 10 in 2.5 s: 2 per second, 5 left -> 2.5 s, shown rounded to 3 s
        assertEquals("sample 5/10 [##########----------]  50% 2.0 /s ETA 0:00:03",
                Progress.format("sample", 5, 10, 2_500_000_000L));
        assertEquals("features 0/7 [--------------------]   0% 0.0 /s ETA ?", Progress.format("features", 0, 7, 0));
    }

    @Test
    void plainModePrintsALineEachTenthAndASummary() {
        StringWriter text = new StringWriter();
        try (Progress p = new Progress(new PrintWriter(text), false, "sample", 20, halfSeconds())) {
            for (int i = 0; i < 7; i++) {
                p.advance(3); // 3, 6, ..., 18, then 21 capped at 20
            }
            assertEquals(20, p.done());
        }
        String out = text.toString();
        assertFalse(out.contains("\r"), out);
        List<String> lines = out.lines().toList();
        // tenths crossed: 3 -> 1, 6 -> 3, 9 -> 4, 12 -> 6, 15 -> 7, 18 -> 9, 20 -> 10: seven lines
        assertEquals(8, lines.size(), out);
        assertTrue(lines.get(0).startsWith("sample 3/20 ["), out);
        assertTrue(lines.get(6).startsWith("sample 20/20 [####################] 100%"), out);
        assertEquals("sample: 20 in 0:00:04", lines.get(7)); // 8 clock reads after the start: 4 s
    }

    @Test
    void terminalModeRedrawsOneLine() {
        StringWriter text = new StringWriter();
        try (Progress p = new Progress(new PrintWriter(text), true, "images", 4, halfSeconds())) {
            p.advance(1);
            p.advance(3);
        }
        String out = text.toString();
        assertTrue(out.startsWith("\rimages 1/4 ["), out);
        assertTrue(out.contains("\rimages 4/4 ["), out);
        assertEquals(2, out.split("\n").length, out);
    }

    @Test
    void rejectsAnEmptyTotal() {
        assertThrows(IllegalArgumentException.class, () -> new Progress(new PrintWriter(new StringWriter()), false,
                "x", 0));
    }
}
