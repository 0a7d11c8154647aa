package io.gen4j.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * libtorch's own log threshold: {@code TORCH_CPP_LOG_LEVEL} takes effect through {@link
 * NativeLogging#apply()}, and with the default of {@link EngineInfo#start} the deprecation warning
 * libtorch prints for DJL's {@code NDArray.set} stays out of stderr (checked in a child JVM, since
 * libtorch writes to file descriptor 2 directly and only once per process).
 */
class NativeLoggingTest {

    private static final String WARNING_TEXT = "AutoNonVariableTypeMode is deprecated";

    @Test
    void parsesNamesAndNumbers() {
        assertEquals(NativeLogging.Level.ERROR, NativeLogging.Level.parse(" error "));
        assertEquals(NativeLogging.Level.WARNING, NativeLogging.Level.parse("1"));
        assertEquals(NativeLogging.Level.FATAL, NativeLogging.Level.parse("Fatal"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> NativeLogging.Level.parse("loud"));
        assertTrue(e.getMessage().contains("'loud'") && e.getMessage().contains("INFO, WARNING, ERROR, FATAL"),
                e.getMessage());
    }

    @Test
    void applyMakesLibtorchReadTheVariable() {
        assumeTrue(NativeEnvironment.supported(), "POSIX only");
        Engine.getInstance();
        String before = NativeEnvironment.get(NativeLogging.ENV);
        try {
            NativeEnvironment.set(NativeLogging.ENV, "WARNING");
            assertEquals(Optional.of(NativeLogging.Level.WARNING), NativeLogging.apply());
            NativeEnvironment.set(NativeLogging.ENV, "3");
            assertEquals(Optional.of(NativeLogging.Level.FATAL), NativeLogging.apply());
            NativeEnvironment.set(NativeLogging.ENV, "loud"); // a bad value leaves the level alone
            assertEquals(Optional.of(NativeLogging.Level.FATAL), NativeLogging.apply());
            assertEquals(Optional.of(NativeLogging.Level.FATAL), NativeLogging.current());
        } finally {
            if (before == null) {
                NativeEnvironment.unset(NativeLogging.ENV);
            } else {
                NativeEnvironment.set(NativeLogging.ENV, before);
            }
            NativeLogging.apply();
        }
    }

    @Test
    void requestIfUnsetLeavesTheUsersChoice() {
        assumeTrue(NativeEnvironment.supported(), "POSIX only");
        String before = NativeEnvironment.get(NativeLogging.ENV);
        try {
            NativeEnvironment.set(NativeLogging.ENV, "INFO");
            assertFalse(NativeLogging.requestIfUnset(NativeLogging.Level.ERROR));
            assertEquals("INFO", NativeEnvironment.get(NativeLogging.ENV));
            NativeEnvironment.unset(NativeLogging.ENV);
            assertTrue(NativeLogging.requestIfUnset(NativeLogging.Level.ERROR));
            assertEquals("ERROR", NativeEnvironment.get(NativeLogging.ENV));
        } finally {
            if (before == null) {
                NativeEnvironment.unset(NativeLogging.ENV);
            } else {
                NativeEnvironment.set(NativeLogging.ENV, before);
            }
        }
    }

    @Test
    void libtorchWarningIsHiddenByDefaultAndBackWithWarningLevel() throws Exception {
        assumeTrue(NativeEnvironment.supported(), "POSIX only");
        String[] quiet = probe(null);
        assertTrue(quiet[0].contains("level ERROR"), quiet[0] + quiet[1]);
        assertFalse(quiet[1].contains(WARNING_TEXT), quiet[1]);

        String[] loud = probe("WARNING"); // proves the probe does trigger the warning
        assertTrue(loud[0].contains("level WARNING"), loud[0] + loud[1]);
        assertTrue(loud[1].contains(WARNING_TEXT), loud[1]);
    }

    /** Runs {@link NativeLoggingProbe} in a child JVM; returns its stdout and stderr. */
    private static String[] probe(String level) throws IOException, InterruptedException {
        return ChildJvm.run(NativeLoggingProbe.class,
                List.of("-Dai.djl.offline=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error"),
                List.of(NativeLogging.ENV), level == null ? Map.of() : Map.of(NativeLogging.ENV, level));
    }
}
