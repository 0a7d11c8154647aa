package io.gen4j.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The canary: convolutions through the guard in force must match a double-precision reference,
 * forward and input-gradient, 1-D and 2-D. On a CPU with the oneDNN bug this test fails as soon as
 * the guard is switched off ({@code GEN4J_CONV_GUARD=none}).
 */
class ConvGuardTest {

    @Test
    void guardedConvolutionsMatchTheReference() {
        ConvGuard.Status status = ConvGuard.status();
        ConvSelfTest.Report report = ConvGuard.check();
        assertTrue(report.passed(), () -> "guard " + status.describe() + " gives wrong convolutions: " + report.cases());
    }

    @Test
    void autoModeExplainsItsChoice() {
        ConvGuard.Status status = ConvGuard.status();
        if ("auto".equals(status.source())) {
            assertTrue(status.unguarded() != null);
            if (!status.unguarded().passed()) {
                assertTrue(status.guarded().passed());
            }
        }
    }

    @Test
    void parsesModeNames() {
        assertEquals(ConvGuardMode.PAD_CHANNELS, ConvGuardMode.parse("pad"));
        assertEquals(ConvGuardMode.REDUCED_ISA, ConvGuardMode.parse("Reduced_ISA"));
        assertEquals(ConvGuardMode.NONE, ConvGuardMode.parse(" none "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConvGuardMode.parse("fast"));
        assertTrue(e.getMessage().contains("fast"));
    }
}
