package io.gen4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {

    @TempDir
    Path runs;

    record Config(String model, int steps, double lr) {}

    @Test
    void createsStampedLayoutAndAvoidsCollisions() throws IOException {
        Instant t = Instant.parse("2026-11-28T10:15:30Z");
        RunDirectory a = RunDirectory.create(runs, "ddpm-mnist", t);
        RunDirectory b = RunDirectory.create(runs, "ddpm-mnist", t);
        assertEquals(runs.resolve("ddpm-mnist-20261128-101530"), a.root());
        assertEquals(runs.resolve("ddpm-mnist-20261128-101530-2"), b.root());
        assertTrue(Files.isDirectory(a.checkpoints()));
        assertTrue(Files.isDirectory(a.images()));
        assertEquals(a.root().resolve("images/grid.png"), a.image("grid.png"));
        assertThrows(IllegalArgumentException.class, () -> RunDirectory.create(runs, "../x", t));
    }

    @Test
    void writesConfigAndReport() throws IOException {
        RunDirectory run = RunDirectory.create(runs, "vae", Instant.EPOCH);
        String json = run.writeConfig(new Config("vae", 100, 1e-3));
        JsonNode node = new ObjectMapper().readTree(Files.readString(run.configFile()));
        assertEquals("vae", node.get("model").asText());
        assertEquals(100, node.get("steps").asInt());
        assertEquals(json, run.readConfig());
        run.appendReport("Loss", "final loss 0.1");
        run.appendImage("samples", run.image("samples.png"));
        assertEquals("## Loss\n\nfinal loss 0.1\n\n![samples](images/samples.png)\n\n",
                Files.readString(run.reportFile()));
        assertEquals(run.root(), RunDirectory.open(run.root()).root());
        assertThrows(IOException.class, () -> RunDirectory.open(runs.resolve("missing")));
    }
}
