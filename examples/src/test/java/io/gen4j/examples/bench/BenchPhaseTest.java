package io.gen4j.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;

/** The timing loop of {@link Bench}: warm-up by steps and by time, then the timed steps, per unit. */
class BenchPhaseTest {

    /** A step that burns {@code millis} of its own thread's CPU time (not wall time). */
    private static LongConsumer spinning(List<Long> calls, double millis) {
        return i -> {
            calls.add(i);
            long end = Bench.threadCpuNanos() + (long) (millis * 1e6);
            double sink = 0;
            while (Bench.threadCpuNanos() < end) {
                sink += Math.sqrt(sink + 1);
            }
            if (sink < 0) {
                throw new AssertionError();
            }
        };
    }

    @Test
    void warmsUpTheGivenStepsThenTimesAtLeastTheRepeats() {
        List<Long> calls = new ArrayList<>();
        Bench.Phase p = Bench.phase(spinning(calls, 25), 1, 8, Double.NaN, new Bench.Options(3, 0, 4, 0, false));
        assertEquals(3, p.warmupSteps());
        assertEquals(List.of(0L, 1L, 2L, 0L, 1L, 2L, 3L), calls, "3 warm-up steps, then 4 timed ones");
        assertTrue(p.threadCpuMillis() >= 25.0, "each step burns 25 ms of its thread: " + p.threadCpuMillis());
        // the process CPU time comes in clock ticks (10 ms on Linux): over the 4 timed steps (100 ms of this
        // thread alone) it may read up to one tick short at each end, 2 x 10 ms / 4 steps = 5 ms per step
        assertTrue(p.cpuMillis() >= p.threadCpuMillis() - 5.0, p.cpuMillis() + " < " + p.threadCpuMillis());
        assertEquals(8 / (p.wallMillis() / 1e3), p.itemsPerSecond(), 1e-9);
    }

    @Test
    void keepsWarmingUpUntilTheSecondsHavePassed() {
        List<Long> calls = new ArrayList<>();
        long t0 = System.nanoTime();
        Bench.Phase p = Bench.phase(spinning(calls, 2), 1, 1, Double.NaN, new Bench.Options(1, 0.2, 1, 0, false));
        double seconds = (System.nanoTime() - t0) / 1e9;
        // each warm-up step takes at least 2 ms, so 0.2 s needs more than the one step asked for
        assertTrue(p.warmupSteps() > 1, "warm-up steps " + p.warmupSteps());
        assertEquals(p.warmupSteps() + 1, calls.size());
        assertTrue(seconds >= 0.2, "ran " + seconds + " s");
    }

    @Test
    void dividesBySamplerUnits() {
        List<Long> calls = new ArrayList<>();
        double flopsPerUnit = 4e6;
        Bench.Phase p = Bench.phase(spinning(calls, 4), 4, 1, flopsPerUnit, new Bench.Options(0, 0, 3, 0, false));
        assertEquals(0, p.warmupSteps());
        assertEquals(3, calls.size());
        assertTrue(p.threadCpuMillis() >= 1.0 && p.threadCpuMillis() < 4.0,
                "4 ms per step over 4 units is at least 1 ms per unit: " + p.threadCpuMillis());
        // the FLOPs are those of one unit (Workload#sampleFlops), the wall time is per unit
        assertEquals(flopsPerUnit / (p.wallMillis() / 1e3) / 1e9, p.gflops(), 1e-12);
    }

    @Test
    void rejectsBadOptions() {
        assertThrows(IllegalArgumentException.class, () -> new Bench.Options(0, -1, 1, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new Bench.Options(0, Double.NaN, 1, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new Bench.Options(-1, 0, 1, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new Bench.Options(0, 0, 0, 0, false));
    }
}
