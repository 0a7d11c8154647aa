package io.gen4j.core.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/**
 * Device choice: a GPU when the engine sees one, otherwise the CPU, overridable by the user.
 *
 * <p>Specs: {@code auto} (default), {@code cpu}, {@code gpu} (= {@code gpu:0}), {@code gpu:N}. The
 * environment variable {@code GEN4J_DEVICE} or the system property {@code gen4j.device} sets the
 * default spec. On a GPU machine the PyTorch engine downloads the CUDA natives matching {@code
 * PYTORCH_FLAVOR} (e.g. {@code cu128}), since they are not on Maven Central.
 */
public final class Devices {

    /** System property naming the default device spec. */
    public static final String PROPERTY = "gen4j.device";
    /** Environment variable naming the default device spec. */
    public static final String ENV = "GEN4J_DEVICE";

    private Devices() {}

    /** @return the device chosen by {@code gen4j.device} / {@code GEN4J_DEVICE}, else {@code auto} */
    public static Device preferred() {
        String spec = System.getProperty(PROPERTY);
        if (spec == null) {
            spec = System.getenv(ENV);
        }
        return parse(spec == null ? "auto" : spec);
    }

    /**
     * @param spec {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
     * @return the device
     * @throws IllegalArgumentException for an unknown spec or a GPU the engine does not see
     */
    public static Device parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("auto")) {
            return Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        }
        if (s.equals("cpu")) {
            return Device.cpu();
        }
        if (s.equals("gpu") || s.startsWith("gpu:") || s.equals("cuda") || s.startsWith("cuda:")) {
            int id = 0;
            int colon = s.indexOf(':');
            if (colon >= 0) {
                try {
                    id = Integer.parseInt(s.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("device must be auto, cpu, gpu or gpu:N, got '" + spec + "'", e);
                }
            }
            int count = Engine.getInstance().getGpuCount();
            if (id < 0 || id >= count) {
                throw new IllegalArgumentException(
                        "device '" + spec + "' asked for GPU " + id + " but the engine sees " + count + " GPU(s)");
            }
            return Device.gpu(id);
        }
        throw new IllegalArgumentException("device must be auto, cpu, gpu or gpu:N, got '" + spec + "'");
    }
}
