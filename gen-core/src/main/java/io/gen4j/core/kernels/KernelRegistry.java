package io.gen4j.core.kernels;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds the {@link Kernels} implementations once per engine name. */
final class KernelRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(KernelRegistry.class);
    private static final Map<String, Kernels> BY_ENGINE = new ConcurrentHashMap<>();

    private KernelRegistry() {}

    static Kernels forEngine(String engineName) {
        String mode = System.getProperty(Kernels.PROPERTY, "auto");
        if (mode.equals("composed")) {
            return Kernels.composed();
        }
        if (!mode.equals("auto")) {
            throw new IllegalArgumentException(
                    "system property " + Kernels.PROPERTY + " must be 'auto' or 'composed', got '" + mode + "'");
        }
        return BY_ENGINE.computeIfAbsent(engineName, KernelRegistry::load);
    }

    private static Kernels load(String engineName) {
        for (Kernels k : ServiceLoader.load(Kernels.class, KernelRegistry.class.getClassLoader())) {
            if (k.engineName().equals(engineName)) {
                LOG.debug("kernels for engine {}: {}", engineName, k.describe());
                return k;
            }
        }
        LOG.debug("no fused kernels registered for engine {}; composing", engineName);
        return Kernels.composed();
    }
}
