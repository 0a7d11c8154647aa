package io.gen4j.examples.cli;

import io.gen4j.core.runtime.ConvGuard;
import io.gen4j.core.runtime.Devices;
import io.gen4j.core.runtime.EngineInfo;
import picocli.CommandLine.Option;

/** Options every command takes; applied before the engine starts. */
public final class GlobalOptions {

    @Option(names = "--device", description = "auto (default), cpu, gpu or gpu:N.", scope = picocli.CommandLine.ScopeType.INHERIT)
    String device;

    @Option(names = "--threads", description = "Intra-op threads for the engine (default: the engine's choice).",
            scope = picocli.CommandLine.ScopeType.INHERIT)
    Integer threads;

    @Option(names = "--conv-guard",
            description = "Convolution guard: auto (default: decided by the engine canary), none, pad or reduced-isa.",
            scope = picocli.CommandLine.ScopeType.INHERIT)
    String convGuard;

    /**
     * Puts the options into system properties and starts the engine.
     *
     * @return the engine description
     */
    public EngineInfo apply() {
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
}
