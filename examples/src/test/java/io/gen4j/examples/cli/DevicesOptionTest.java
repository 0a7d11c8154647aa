package io.gen4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gen4j.examples.testing.SubsetData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --devices} of the commands that train: parsing, the check against the engine, config.json, resume. */
class DevicesOptionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aBadDeviceListIsAUsageErrorWhileParsing() {
        assertTrue(ReliabilityCliTest.assertUserError("'--devices'", "topic", "11-01", "--devices", "tpu:0")
                .contains("devices must be like gpu:0,gpu:1 or cpu, got 'tpu:0'"));
        assertTrue(ReliabilityCliTest.assertUserError("'--devices'", "quickstart", "--devices", "gpu:0,gpu:0")
                .contains("a GPU must not repeat"));
        ReliabilityCliTest.assertUserError("'--devices'", "quickstart", "--devices", "gpu:x");
    }

    @Test
    void aGpuThatIsNotThereIsRefusedBeforeTrainingWithTheDevicesThereAre() {
        int gpus = Engine.getInstance().getGpuCount();
        assumeTrue(gpus < 7, "this machine has a GPU 6");
        StringBuilder there = new StringBuilder("cpu");
        for (int i = 0; i < gpus; i++) {
            there.append(", gpu:").append(i);
        }
        for (String command : List.of("topic", "quickstart")) {
            List<String> args = new java.util.ArrayList<>(List.of(command));
            if (command.equals("topic")) {
                args.add("11-01");
            }
            args.addAll(List.of("--devices", "cpu,gpu:6", "--out", dir.resolve(command).toString(), "--data",
                    SubsetData.directory(dir).toString()));
            String line = ReliabilityCliTest.assertUserError("--devices cpu,gpu:6: gpu:6 does not exist",
                    args.toArray(String[]::new));
            assertTrue(line.endsWith("devices available: " + there), line);
            assertFalse(Files.exists(dir.resolve(command)), "no run directory: refused before the run started");
        }
    }

    @Test
    void theCheckAgainstTheEngineAndResumeUseTheRunsDevices() throws Exception {
        RunOptions run = new RunOptions();
        assertEquals(List.of(), run.devices(0, null));
        run.devices = "gpu:0,gpu:1";
        assertEquals(List.of(Device.gpu(0), Device.gpu(1)), run.devices(2, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run.devices(1, null));
        assertEquals("--devices gpu:0,gpu:1: gpu:1 does not exist; the engine sees 1 GPU(s), devices available: "
                + "cpu, gpu:0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> run.devices(0, null));
        assertTrue(e.getMessage().endsWith("the engine sees no GPU, devices available: cpu"), e.getMessage());

        JsonNode trainedOnTwo = JSON.readTree("{\"topic\":\"11-01\",\"devices\":\"cpu,cpu\"}");
        JsonNode trainedOnOne = JSON.readTree("{\"topic\":\"11-01\"}");
        RunOptions resume = new RunOptions();
        assertEquals(List.of(Device.cpu(), Device.cpu()), resume.devices(0, trainedOnTwo));
        assertEquals(List.of(), resume.devices(0, trainedOnOne));
        resume.devices = new RunOptions.DevicesConverter().convert("cpu:0,cpu:1");
        assertEquals(List.of(Device.cpu(), Device.cpu()), resume.devices(0, trainedOnTwo));
        e = assertThrows(IllegalArgumentException.class, () -> resume.devices(0, trainedOnOne));
        assertEquals("--devices cpu,cpu: the run to resume was trained without --devices; resume it on the same "
                + "devices (leave --devices out: config.json has them)", e.getMessage());
    }

    @Test
    void aGanTopicIsRefusedAtItsFirstGanTrainingNamingIt() {
        String line = ReliabilityCliTest.assertUserError("--devices cpu,cpu: training 'game' is a GAN (gen-gans "
                + "GanTraining.Step", "topic", "11-03", "--profile", "smoke", "--devices", "cpu,cpu", "--out",
                dir.resolve("gan").toString());
        assertTrue(line.endsWith("Run it without --devices"), line);
    }

    @Test
    void aQuickstartOnTwoCpuSlicesRecordsItsDevicesAndResumesOnThem() throws Exception {
        Path data = SubsetData.directory(dir);
        String[] r = ReliabilityCliTest.run("quickstart", "--data", data.toString(), "--steps", "2",
                "--quality-samples", "2", "--devices", "cpu,cpu", "--out", dir.resolve("runs").toString());
        assertEquals("0", r[0], r[1] + r[2]);
        Path runDir;
        try (Stream<Path> dirs = Files.list(dir.resolve("runs"))) {
            runDir = dirs.findFirst().orElseThrow();
        }
        assertEquals("cpu,cpu", JSON.readTree(runDir.resolve("config.json").toFile()).path("devices").asText());
        assertTrue(r[1].contains("final loss"), r[1]);

        String line = ReliabilityCliTest.assertUserError("--devices cpu: the run to resume was trained on --devices "
                + "cpu,cpu", "quickstart", "--resume", runDir.toString(), "--data", data.toString(), "--devices", "cpu",
                "--quality-samples", "2");
        assertTrue(line.endsWith("(leave --devices out: config.json has them)"), line);
    }
}
