package io.gen4j.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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

    private static ConvSelfTest.Case passing(String name) {
        return new ConvSelfTest.Case(name, 1e-7);
    }

    private static ConvSelfTest.Case failing(String name) {
        return new ConvSelfTest.Case(name, 0.5);
    }

    /**
     * Forward-only convolutions keep their out-channels only when every raw forward case with out-channels that
     * are not a multiple of 16 (and in-channels the guard does not pad) passed; failures of the input gradient
     * and of the in-channel fault (in ≥ 16, not a multiple of 16) do not count; no such case, or no raw report,
     * keeps the padding.
     */
    @Test
    void forwardOnlyConvolutionsKeepTheirOutChannelsOnlyWhereTheRawForwardWasRight() {
        List<ConvSelfTest.Case> right = List.of(passing("conv2d in=3 out=5 k=3 forward"),
                failing("conv2d in=3 out=5 k=3 input-gradient"), passing("conv2d in=1 out=24 k=3 channels-last forward"),
                passing("conv1d in=32 out=3 k=3 forward"), failing("conv2d in=20 out=20 k=3 forward"),
                failing("conv2d in=20 out=16 k=3 forward"), passing("conv2d in=16 out=32 k=3 forward"));
        assertTrue(ConvGuard.forwardCorrectForUnalignedOutputs(new ConvSelfTest.Report(right)));
        for (String wrong : new String[] {"conv2d in=3 out=5 k=3 forward", "conv2d in=1 out=24 k=3 channels-last forward",
                "conv1d in=32 out=3 k=3 forward"}) {
            List<ConvSelfTest.Case> cases = right.stream()
                    .map(c -> c.name().equals(wrong) ? failing(wrong) : c).toList();
            assertFalse(ConvGuard.forwardCorrectForUnalignedOutputs(new ConvSelfTest.Report(cases)), wrong);
        }
        assertFalse(ConvGuard.forwardCorrectForUnalignedOutputs(new ConvSelfTest.Report(
                List.of(passing("conv2d in=16 out=32 k=3 forward"), failing("conv2d in=3 out=5 k=3 input-gradient")))),
                "no forward case with unaligned out-channels");
        assertFalse(ConvGuard.forwardCorrectForUnalignedOutputs(null));
        ConvSelfTest.Report report = new ConvSelfTest.Report(right);
        assertTrue(new ConvGuard.Status(ConvGuardMode.PAD_CHANNELS, "auto", report, report).forwardKeepsOutputChannels());
        assertFalse(new ConvGuard.Status(ConvGuardMode.NONE, "auto", report, null).forwardKeepsOutputChannels());
        assertFalse(new ConvGuard.Status(ConvGuardMode.PAD_CHANNELS, "forced", null, null).forwardKeepsOutputChannels());
    }

    /** The canary's own case names carry the channel counts this decision reads. */
    @Test
    void theCanaryNamesItsForwardCasesWithTheirChannels() {
        ConvGuard.Status status = ConvGuard.status();
        if (status.unguarded() != null) {
            long named = status.unguarded().cases().stream()
                    .filter(c -> c.name().matches(".*\\bin=\\d+ out=\\d+\\b.* forward$")).count();
            assertTrue(named > 0, "no forward case names the channels: " + status.unguarded().cases());
        }
    }
}
