package io.gen4j.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link NativeMalloc}: in child JVMs (the setting is process-wide and cannot be undone), glibc's defaults give
 * 192 MiB of freed 2 MiB blocks back to the system at once, and after {@link NativeMalloc#keepFreedMemory()} they
 * stay in the process for reuse; a user's {@code GLIBC_TUNABLES} or {@code gen4j.malloc=system} leaves malloc
 * alone.
 */
class NativeMallocTest {

    private static final Pattern RETURNED = Pattern.compile("returned-mib (-?\\d+)");

    @Test
    void keepsFreedBlocksThatGlibcWouldGiveBack() throws Exception {
        assumeGlibc();
        String[] plain = probe(List.of(), Map.of(), "none");
        assertTrue(returnedMib(plain) >= 160, "glibc's defaults should unmap freed 2 MiB blocks: " + plain[0] + plain[1]);

        String[] kept = probe(List.of(), Map.of(), "keep");
        assertTrue(kept[0].contains("status freed memory kept for reuse"), kept[0] + kept[1]);
        assertTrue(returnedMib(kept) <= 8, "freed memory should stay in the process: " + kept[0] + kept[1]);
    }

    @Test
    void theUsersSettingsWin() throws Exception {
        assumeGlibc();
        String tunables = "glibc.malloc.trim_threshold=131072";
        String[] env = probe(List.of(), Map.of("GLIBC_TUNABLES", tunables), "keep");
        assertTrue(env[0].contains("status as GLIBC_TUNABLES sets it: " + tunables), env[0] + env[1]);
        assertTrue(returnedMib(env) >= 160, env[0] + env[1]);

        String[] legacy = probe(List.of(), Map.of("MALLOC_TRIM_THRESHOLD_", "131072"), "keep");
        assertTrue(legacy[0].contains("status as the environment sets it: MALLOC_TRIM_THRESHOLD_=131072"),
                legacy[0] + legacy[1]);

        String[] off = probe(List.of("-D" + NativeMalloc.PROPERTY + "=system"), Map.of(), "keep");
        assertTrue(off[0].contains("status glibc's own settings (gen4j.malloc=system)"), off[0] + off[1]);
        assertTrue(returnedMib(off) >= 160, off[0] + off[1]);
    }

    @Test
    void answersOncePerProcess() {
        NativeMalloc.Status first = NativeMalloc.keepFreedMemory();
        assertEquals(first, NativeMalloc.keepFreedMemory());
        assertEquals(first, NativeMalloc.decided().orElseThrow());
        assertFalse(first.description().isBlank());
    }

    private static void assumeGlibc() {
        assumeTrue(NativeEnvironment.supported() && Files.exists(Path.of("/proc/self/status")), "Linux only");
        assumeTrue(isGlibc(), "glibc only");
    }

    private static boolean isGlibc() {
        try {
            com.sun.jna.NativeLibrary.getInstance("c").getFunction("gnu_get_libc_version");
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    private static long returnedMib(String[] output) {
        Matcher m = RETURNED.matcher(output[0]);
        assertTrue(m.find(), output[0] + output[1]);
        return Long.parseLong(m.group(1));
    }

    /** Runs {@link NativeMallocProbe} in a child JVM without the parent's malloc settings; returns stdout, stderr. */
    private static String[] probe(List<String> jvmOptions, Map<String, String> env, String mode)
            throws IOException, InterruptedException {
        return ChildJvm.run(NativeMallocProbe.class, jvmOptions, List.of("GLIBC_TUNABLES", "MALLOC_TRIM_THRESHOLD_",
                "MALLOC_MMAP_THRESHOLD_", "MALLOC_TOP_PAD_", "MALLOC_ARENA_MAX"), env, mode);
    }
}
