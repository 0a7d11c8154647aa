package io.gen4j.core.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EngineInfoToStringTest {

    @Test
    void printsOneShortLineWithTheCanarysCountsNotItsCases() {
        EngineInfo info = EngineInfo.start(null);
        ConvGuard.status(); // decided, so that the line carries the verdict
        String text = info.toString();
        assertFalse(text.contains("\n"), text);
        assertTrue(text.length() < 600, text.length() + " characters: " + text);
        assertTrue(text.contains(info.convGuard().mode().toString()), text);
        if (info.convGuard().unguarded() != null) {
            assertTrue(text.contains("cases correct"), text);
            assertFalse(text.contains("Case["), text);
        }
    }
}
