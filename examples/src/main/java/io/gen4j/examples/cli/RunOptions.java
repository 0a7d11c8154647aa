package io.gen4j.examples.cli;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import io.gen4j.core.train.DataParallel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * Options of the commands that train (quickstart, topic): resuming, checkpoint intervals and the
 * devices of data-parallel training.
 */
public final class RunOptions {

    @Option(names = "--devices", paramLabel = "<devices>", converter = DevicesConverter.class,
            description = "Train data-parallel over these devices of this machine, e.g. gpu:0,gpu:1: every "
                    + "single-objective training of the run (VAEs, autoencoders, diffusion, flows, score and "
                    + "autoregressive models) splits each batch over them and sums the gradients; GAN trainings "
                    + "refuse it. cpu entries compute their slices one after another on the CPU. Checked against the "
                    + "engine's devices before training; recorded in config.json (--resume takes it from there).")
    String devices;

    @Option(names = "--resume", paramLabel = "<run directory>",
            description = "Continue a killed run in its directory (its seed and settings come from its config.json): "
                    + "every training continues from its newest checkpoint and the run ends as an uninterrupted "
                    + "one would.")
    Path resume;

    @Option(names = "--checkpoint-every", paramLabel = "<steps>", defaultValue = "0",
            description = "Checkpoint every training every this many steps (default 0: a tenth of each training).")
    long checkpointEvery;

    @Option(names = "--checkpoint-minutes", paramLabel = "<minutes>", defaultValue = "5",
            converter = MinutesConverter.class,
            description = "Also checkpoint a training when this many minutes passed since its last checkpoint, "
                    + "whichever comes first (default: ${DEFAULT-VALUE}; 0: only by steps).")
    Duration checkpointTime;

    /** Checks {@code --checkpoint-minutes} when the command line is parsed. */
    static final class MinutesConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            double minutes;
            try {
                minutes = Double.parseDouble(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("expected a number of minutes >= 0, got '" + value + "'");
            }
            if (!(minutes >= 0) || minutes > 1e6) {
                throw new TypeConversionException("expected a number of minutes in [0, 1e6], got " + value.trim());
            }
            return Duration.ofMillis(Math.round(minutes * 60_000));
        }
    }

    /** Checks the syntax of {@code --devices} when the command line is parsed (whether they exist needs the engine). */
    static final class DevicesConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                return DataParallel.format(new DataParallel(DataParallel.parse(value)).devices());
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * The devices to train on, checked against the engine: what {@code --devices} asked for, or with
     * {@code --resume} what the run was trained on (its config.json).
     *
     * @param gpuCount the GPUs the engine sees
     * @param saved the config.json of the run to resume, or null for a new run
     * @return the devices; empty without {@code --devices} (one pass on the model's device)
     * @throws IllegalArgumentException when a GPU does not exist (the message lists the devices there
     *     are), or {@code --devices} differs from the devices of the run to resume
     */
    public List<Device> devices(int gpuCount, JsonNode saved) {
        List<Device> chosen = devices == null ? List.of() : DataParallel.parse(devices);
        if (saved != null) {
            String was = saved.path("devices").asText("");
            if (devices != null && !devices.equals(was)) {
                throw new IllegalArgumentException("--devices " + devices + ": the run to resume "
                        + "was trained " + (was.isEmpty() ? "without --devices" : "on --devices " + was)
                        + "; resume it on the same devices (leave --devices out: config.json has them)");
            }
            chosen = was.isEmpty() ? List.of() : DataParallel.parse(was);
        }
        for (Device d : chosen) {
            if (d.isGpu() && d.getDeviceId() >= gpuCount) {
                List<String> there = new ArrayList<>(List.of("cpu"));
                for (int i = 0; i < gpuCount; i++) {
                    there.add("gpu:" + i);
                }
                String sees = gpuCount == 0 ? "no GPU" : gpuCount + " GPU(s)";
                throw new IllegalArgumentException("--devices " + DataParallel.format(chosen) + ": gpu:"
                        + d.getDeviceId() + " does not exist; the engine sees " + sees + ", devices available: "
                        + String.join(", ", there));
            }
        }
        return chosen;
    }

    /** @return the longest wall time between two checkpoints of a training; zero for none */
    public Duration checkpointTime() {
        return checkpointTime;
    }

    /** @return the run directory to continue, or null for a new run */
    public Path resume() {
        return resume;
    }

    /**
     * @return the checkpoint interval, 0 for automatic
     * @throws IllegalArgumentException when negative
     */
    public long checkpointEvery() {
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("--checkpoint-every must be >= 0, got " + checkpointEvery);
        }
        return checkpointEvery;
    }
}
