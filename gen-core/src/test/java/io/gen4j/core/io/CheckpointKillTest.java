package io.gen4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.train.TrainingState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a JVM (SIGKILL, {@code destroyForcibly}) while it writes a 32 MB checkpoint and shows that
 * every file with a checkpoint name is complete and the newest one loads.
 */
class CheckpointKillTest {

    @TempDir
    Path dir;

    private static boolean hasTemp(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(Checkpoint.TEMP_SUFFIX));
        }
    }

    @Test
    void killedWriterLosesAtMostTheCheckpointBeingWritten() throws Exception {
        Path ckpts = dir.resolve("checkpoints");
        Files.createDirectories(ckpts);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Xmx1g",
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
                "-cp", System.getProperty("java.class.path"),
                CheckpointWriterProcess.class.getName(), ckpts.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile())
                .start();
        CheckpointStore probe;
        try (NDManager m = NDManager.newBaseManager()) {
            TrainingState state = TrainingState.builder()
                    .block("net", CheckpointWriterProcess.network(m)).build();
            probe = new CheckpointStore(ckpts, 2, state, null, 1, "{}");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            boolean caughtMidWrite = false;
            while (System.nanoTime() < deadline && child.isAlive()) {
                if (probe.list().size() >= 1 && hasTemp(ckpts)) {
                    caughtMidWrite = true;
                    break;
                }
                Thread.sleep(2);
            }
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            assertTrue(caughtMidWrite, "the child never wrote; log: "
                    + Files.readString(dir.resolve("child.log")));

            List<Path> named = probe.list();
            assertFalse(named.isEmpty());
            for (Path p : named) {
                Checkpoint.readInfo(p); // throws when incomplete
            }
            Path latest = probe.latestValid().orElseThrow();
            assertEquals(named.get(named.size() - 1), latest);
            CheckpointInfo info = Checkpoint.load(latest, state);
            assertTrue(info.step() >= 1);
        }
    }
}
