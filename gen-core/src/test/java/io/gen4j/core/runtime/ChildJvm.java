package io.gen4j.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a probe's {@code main} in a child JVM with this test's class path, for settings that are process-wide
 * and read once (the environment native libraries read when they load, malloc's thresholds): the child
 * starts without the variables named, with the ones given, and must exit 0 within two minutes.
 */
final class ChildJvm {

    private ChildJvm() {}

    /**
     * @param main the probe class
     * @param jvmOptions options before the class path (system properties)
     * @param remove environment variables the child does not inherit
     * @param put environment variables set for the child (after the removals)
     * @param args the probe's arguments
     * @return the child's standard output and standard error
     * @throws IOException when the child cannot start
     * @throws InterruptedException when interrupted while waiting
     */
    static String[] run(Class<?> main, List<String> jvmOptions, Collection<String> remove, Map<String, String> put,
            String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        remove.forEach(pb.environment()::remove);
        pb.environment().putAll(put);
        Process p = pb.start();
        p.getOutputStream().close();
        // small outputs: read stdout, then stderr, without deadlock risk
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "probe did not finish");
        assertEquals(0, p.exitValue(), out + err);
        return new String[] {out, err};
    }
}
