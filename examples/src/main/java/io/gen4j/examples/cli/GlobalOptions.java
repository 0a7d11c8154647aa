package io.gen4j.examples.cli;

import io.gen4j.core.runtime.ConvGuard;
import io.gen4j.core.runtime.Devices;
import io.gen4j.core.runtime.EngineInfo;
import io.gen4j.core.runtime.NativeLogging;
import picocli.CommandLine.Option;

/**
 * Options every command takes; applied before the engine starts.
 *
 * <p>Logging: the CLI ships {@code simplelogger.properties} with DJL's loggers at {@code warn} and
 * DJL's GPU probe ({@code ai.djl.util.cuda.CudaUtils}, which warns on every CPU-only machine that has
 * a CUDA runtime library but no driver) at {@code error}; libtorch's own warnings are hidden by {@link
 * EngineInfo#start}. {@code --verbose} shows all of them; {@code -Dorg.slf4j.simpleLogger.log.<logger>=<level>}
 * and {@code TORCH_CPP_LOG_LEVEL} set them one by one and win over {@code --verbose}.
 */
public final class GlobalOptions {

    /** The SLF4J simple logger's prefix for per-logger levels (system properties win over the file). */
    static final String LOG_LEVEL_PREFIX = "org.slf4j.simpleLogger.log.";

    @Option(names = "--device", description = "auto (default), cpu, gpu or gpu:N.")
    String device;

    @Option(names = "--threads", description = "Intra-op threads for the engine (default: the engine's choice).")
    Integer threads;

    @Option(names = "--conv-guard",
            description = "Convolution guard: auto (default: decided by the engine canary), none, pad or reduced-isa.")
    String convGuard;

    @Option(names = "--verbose",
            description = "Show the engine's own messages: DJL's info and GPU-probe warnings, libtorch's warnings "
                    + "(TORCH_CPP_LOG_LEVEL=WARNING) and gen4j's debug lines.")
    boolean verbose;

    /**
     * Puts the options into system properties and starts the engine.
     *
     * @return the engine description
     */
    public EngineInfo apply() {
        if (verbose) {
            beVerbose();
        }
        if (device != null) {
            System.setProperty(Devices.PROPERTY, device);
        }
        if (convGuard != null) {
            if (!convGuard.trim().equalsIgnoreCase("auto")) {
                io.gen4j.core.runtime.ConvGuardMode.parse(convGuard); // fails early, naming the bad value
            }
            System.setProperty(ConvGuard.PROPERTY, convGuard);
        }
        return EngineInfo.start(threads);
    }

    /**
     * Raises the log levels before any logger of the engine exists (SLF4J's simple logger reads a
     * logger's level when the logger is created); a level the user set explicitly is kept.
     */
    private static void beVerbose() {
        setIfAbsent(LOG_LEVEL_PREFIX + "ai.djl", "info");
        setIfAbsent(LOG_LEVEL_PREFIX + "ai.djl.util.cuda.CudaUtils", "info");
        setIfAbsent(LOG_LEVEL_PREFIX + "io.gen4j", "debug");
        NativeLogging.requestIfUnset(NativeLogging.Level.WARNING);
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
