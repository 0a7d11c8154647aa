package io.gen4j.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StopSignalTest {

    @AfterEach
    void withdraw() {
        StopSignal.clear();
    }

    @Test
    void aRequestKeepsItsFirstReasonUntilCleared() {
        assertFalse(StopSignal.isRequested());
        StopSignal.throwIfRequested();
        StopSignal.request("first");
        StopSignal.request("second");
        assertTrue(StopSignal.isRequested());
        assertEquals(Optional.of("first"), StopSignal.reason());
        StopRequestedException e = assertThrows(StopRequestedException.class, StopSignal::throwIfRequested);
        assertEquals("first", e.getMessage());
        StopSignal.clear();
        assertFalse(StopSignal.isRequested());
        assertEquals(Optional.empty(), StopSignal.reason());
    }

    @Test
    void gracePeriodReadsWholeSeconds() {
        assertEquals(Duration.ofSeconds(StopSignal.DEFAULT_GRACE_SECONDS), StopSignal.gracePeriod(null));
        assertEquals(Duration.ofSeconds(StopSignal.DEFAULT_GRACE_SECONDS), StopSignal.gracePeriod(" "));
        assertEquals(Duration.ofSeconds(90), StopSignal.gracePeriod(" 90 "));
        assertEquals(Duration.ZERO, StopSignal.gracePeriod("0"));
        for (String bad : new String[] {"-1", "1.5", "ten"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> StopSignal.gracePeriod(bad));
            assertTrue(e.getMessage().contains(StopSignal.GRACE_ENV) && e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void aClosedHookIsRemovedAndNeverRequestsAStop() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StopSignal.Hook hook = StopSignal.installShutdownHook(Duration.ofSeconds(1),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        hook.close();
        hook.close(); // twice is harmless
        assertFalse(hook.ran());
        assertFalse(StopSignal.isRequested());
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
        assertThrows(IllegalArgumentException.class,
                () -> StopSignal.installShutdownHook(Duration.ofSeconds(-1), System.err));
    }
}
