package io.gen4j.examples.cli;

import io.gen4j.core.runtime.Autocast;
import io.gen4j.core.runtime.ConvGuard;
import io.gen4j.core.runtime.ConvGuardMode;
import io.gen4j.core.runtime.Devices;
import io.gen4j.core.runtime.EngineInfo;
import io.gen4j.core.runtime.NativeLogging;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * Options every command takes; applied before the engine starts. Their values are checked when the
 * command line is parsed (a bad one is a usage error naming the option, before the engine loads);
 * only whether a GPU id exists needs the engine.
 *
 * <p>Logging: the CLI ships {@code simplelogger.properties} with every logger at {@code warn} but the
 * convolution guard's verdict ({@code info}), DJL's loggers at {@code warn} and
 * DJL's GPU probe ({@code ai.djl.util.cuda.CudaUtils}, which warns on every CPU-only machine that has
 * a CUDA runtime library but no driver) at {@code error}; libtorch's own warnings are hidden by {@link
 * EngineInfo#start}. {@code --verbose} shows all of them; {@code -Dorg.slf4j.simpleLogger.log.<logger>=<level>}
 * and {@code TORCH_CPP_LOG_LEVEL} set them one by one and win over {@code --verbose}.
 */
public final class GlobalOptions {

    /** The SLF4J simple logger's prefix for per-logger levels (system properties win over the file). */
    static final String LOG_LEVEL_PREFIX = "org.slf4j.simpleLogger.log.";

    @Option(names = "--device", converter = DeviceConverter.class, description = "auto (default), cpu, gpu or gpu:N.")
    String device;

    @Option(names = "--threads", converter = ThreadsConverter.class,
            description = "Intra-op threads for the engine, >= 1 (default: the engine's choice).")
    Integer threads;

    @Option(names = "--conv-guard", converter = ConvGuardConverter.class,
            description = "Convolution guard: auto (default: decided by the engine canary), none, pad or reduced-isa.")
    String convGuard;

    @Option(names = "--autocast", converter = AutocastConverter.class,
            description = "Precision of convolutions: off (default: float32) or bf16 (bfloat16 on CPUs where the "
                    + "engine converts arrays and the bfloat16 canary passes; docs/performance.md).")
    String autocast;

    boolean verbose;

    /**
     * {@code --verbose}: raises the log levels while the command line is parsed, before a command
     * touches any class whose logger would otherwise be made at the quiet level.
     *
     * @param on whether the option was given
     */
    @Option(names = "--verbose",
            description = "Show the engine's own messages: DJL's info and GPU-probe warnings, libtorch's warnings "
                    + "(TORCH_CPP_LOG_LEVEL=WARNING) and gen4j's info and debug lines.")
    void setVerbose(boolean on) {
        verbose = on;
        if (on) {
            beVerbose();
        }
    }

    /** Checks {@code --device} when the command line is parsed, before the engine starts (GPU ids later). */
    static final class DeviceConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!value.trim().toLowerCase(Locale.ROOT).matches("auto|cpu|(gpu|cuda)(:\\d+)?")) {
                throw new TypeConversionException("expected auto, cpu, gpu or gpu:N, got '" + value + "'");
            }
            return value.trim();
        }
    }

    /** Checks {@code --threads} when the command line is parsed. */
    static final class ThreadsConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n;
            try {
                n = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("expected a whole number >= 1, got '" + value + "'");
            }
            if (n < 1) {
                throw new TypeConversionException("expected a whole number >= 1, got " + n);
            }
            return n;
        }
    }

    /** Checks {@code --conv-guard} when the command line is parsed. */
    static final class ConvGuardConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!value.trim().equalsIgnoreCase("auto")) {
                try {
                    ConvGuardMode.parse(value);
                } catch (IllegalArgumentException e) {
                    throw new TypeConversionException("expected auto, none, pad or reduced-isa, got '" + value + "'");
                }
            }
            return value.trim();
        }
    }

    /** Checks {@code --autocast} when the command line is parsed. */
    static final class AutocastConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                Autocast.Precision.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected off or bf16, got '" + value + "'");
            }
            return value.trim();
        }
    }

    /** @return whether {@code --device cpu} was given */
    public boolean cpuRequested() {
        return device != null && device.equalsIgnoreCase("cpu");
    }

    /** @return whether {@code --verbose} was given */
    public boolean verbose() {
        return verbose;
    }

    /**
     * Puts the options into system properties and starts the engine.
     *
     * @return the engine description
     */
    public EngineInfo apply() {
        if (verbose) {
            NativeLogging.requestIfUnset(NativeLogging.Level.WARNING);
        }
        if (device != null) {
            System.setProperty(Devices.PROPERTY, device);
        }
        if (convGuard != null) {
            System.setProperty(ConvGuard.PROPERTY, convGuard);
        }
        if (autocast != null) {
            System.setProperty(Autocast.PROPERTY, autocast);
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
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
