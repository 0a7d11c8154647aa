package io.gen4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private static StepEnd event(long step) {
        return new StepEnd(step, 10, 0, Map.of("loss", 0.5, "gradNorm", 2.0),
                (step + 1) * 500_000_000L);
    }

    @Test
    void formatsStepRateEtaAndMetrics() {
        String line = ProgressBar.format(event(4));
        assertEquals("step 5/10 [##########----------]  50% 2.0 it/s ETA 0:00:03 gradNorm=2.000"
                + " loss=0.5000", line);
    }

    @Test
    void plainModePrintsPeriodicLinesWithoutCarriageReturns() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                false, 4);
        for (long s = 0; s < 10; s++) {
            bar.onStepEnd(event(s));
        }
        bar.onFinish(new FitResult(0, 10, Map.of(), 5_000_000_000L, Optional.empty()));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(out.contains("\r"));
        String[] lines = out.split("\n");
        assertEquals(4, lines.length, out);
        assertTrue(lines[0].startsWith("step 4/10"));
        assertTrue(lines[1].startsWith("step 8/10"));
        assertTrue(lines[2].startsWith("step 10/10"));
        assertEquals("done: 10 steps in 0:00:05", lines[3]);
    }

    @Test
    void aStoppedRunEndsTheBarWithTheStepReached() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, 1);
        bar.onStepEnd(event(6));
        bar.onStop(new FitResult(3, 7, Map.of(), 65_000_000_000L, Optional.of(java.nio.file.Path.of("c"))));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].startsWith("\rstep 7/10"), lines[0]);
        assertEquals("interrupted at step 7: 4 steps in 0:01:05, checkpoint written", lines[1]);
    }

    @Test
    void terminalModeRedrawsOneLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                true, 1);
        bar.onStepEnd(event(0));
        bar.onStepEnd(event(9));
        bar.onFinish(new FitResult(0, 10, Map.of(), 1, Optional.empty()));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("\rstep 1/10"), out);
        assertTrue(out.contains("\rstep 10/10"), out);
        assertEquals(2, out.split("\n").length, out);
    }
}
