package io.gen4j.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link OpenMpWait}: the decision (the environment's {@code OMP_WAIT_POLICY} wins, then {@value
 * OpenMpWait#PROPERTY}, else the OpenMP runtime's default), and in child JVMs what the runtime that libtorch
 * loads actually read, as it reports it itself ({@code OMP_DISPLAY_ENV=VERBOSE}: libgomp prints its spin count,
 * 300,000 by default, 0 for passive waiting, 30,000,000,000 for active).
 */
class OpenMpWaitTest {

    private static final Pattern SPIN = Pattern.compile("GOMP_SPINCOUNT = '(\\d+)'");

    @Test
    void theEnvironmentWinsThenThePropertyElseTheRuntimesDefault() {
        OpenMpWait.Status env = OpenMpWait.decide("PASSIVE", "active", true);
        assertEquals("PASSIVE", env.policy());
        assertEquals("OMP_WAIT_POLICY=PASSIVE (from the environment)", env.description());

        OpenMpWait.Status none = OpenMpWait.decide(null, null, true);
        assertNull(none.policy(), "by default the runtime decides");
        assertTrue(none.description().startsWith("idle threads spin, then sleep"), none.description());
        assertNull(OpenMpWait.decide("  ", "spin", true).policy(), "a blank variable is no choice");

        assertEquals("PASSIVE", OpenMpWait.decide(null, "passive", true).policy());
        assertEquals("ACTIVE", OpenMpWait.decide(null, " Active ", true).policy());
        assertEquals("OMP_WAIT_POLICY=PASSIVE, idle threads sleep at once (gen4j.omp.wait=passive)",
                OpenMpWait.decide(null, "PASSIVE", true).description());

        OpenMpWait.Status windows = OpenMpWait.decide(null, "passive", false);
        assertNull(windows.policy(), "without setenv the property cannot reach the runtime");
        assertTrue(windows.description().contains("before java starts"), windows.description());
    }

    @Test
    void aWrongPropertyIsRefusedWhateverTheEnvironmentSays() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OpenMpWait.decide("PASSIVE", "sleepy", true));
        assertTrue(e.getMessage().contains("spin, passive or active"), e.getMessage());
    }

    @Test
    void theRuntimeLibtorchLoadsReadsTheDecision() throws Exception {
        assumeTrue(NativeEnvironment.supported(), "POSIX only");
        String[] byDefault = probe(List.of(), Map.of());
        assertTrue(byDefault[0].contains("status idle threads spin, then sleep"), byDefault[0] + byDefault[1]);
        assertTrue(byDefault[0].contains("env null"), byDefault[0]);
        long runtimeDefault = spinCount(byDefault);
        assertTrue(runtimeDefault > 0, "the runtime's default spins: " + runtimeDefault);

        String[] passive = probe(List.of("-D" + OpenMpWait.PROPERTY + "=passive"), Map.of());
        assertTrue(passive[0].contains("env PASSIVE"), passive[0] + passive[1]);
        assertEquals(0, spinCount(passive), "passive waiting does not spin");

        String[] users = probe(List.of("-D" + OpenMpWait.PROPERTY + "=passive"), Map.of(OpenMpWait.ENV, "ACTIVE"));
        assertTrue(users[0].contains("status OMP_WAIT_POLICY=ACTIVE (from the environment)"), users[0] + users[1]);
        assertTrue(spinCount(users) > runtimeDefault, "active waiting spins longer than the default");
    }

    /** libgomp's own report of its spin count, from the probe's standard error. */
    private static long spinCount(String[] output) {
        Matcher m = SPIN.matcher(output[1]);
        assumeTrue(m.find(), "the OpenMP runtime does not report GOMP_SPINCOUNT (not libgomp): " + output[1]);
        return Long.parseLong(m.group(1));
    }

    /** Runs {@link OpenMpWaitProbe} in a child JVM without the parent's OpenMP settings; returns stdout, stderr. */
    private static String[] probe(List<String> jvmOptions, Map<String, String> env)
            throws IOException, InterruptedException {
        List<String> options = new ArrayList<>(List.of("-Dai.djl.offline=true"));
        options.addAll(jvmOptions);
        Map<String, String> put = new HashMap<>(env);
        put.put("OMP_DISPLAY_ENV", "VERBOSE");
        return ChildJvm.run(OpenMpWaitProbe.class, options, List.of(OpenMpWait.ENV, "GOMP_SPINCOUNT"), put);
    }
}
