package io.gen4j.core.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * What gen4j runs on: engine, versions, device, threads and, through {@link #convGuard()}, the
 * convolution guard's decision. Made by {@link #start(Integer)}, printed by the CLI's {@code doctor}.
 *
 * <p>Starting the engine does not run the guard's canary: it runs when the first convolution block is
 * built (or {@link #convGuard()} is asked), so that models without convolutions start without it.
 *
 * @param engineName the DJL engine, e.g. {@code PyTorch}
 * @param engineVersion the engine's native version, e.g. {@code 2.7.1}
 * @param djlVersion DJL's version
 * @param device the preferred device ({@link Devices#preferred()})
 * @param gpuCount GPUs the engine sees
 * @param threads intra-op threads requested through {@code ai.djl.pytorch.num_threads}, or -1 for
 *     the engine default
 * @param nativeLogLevel libtorch's own log threshold ({@link NativeLogging}), or null when it could
 *     not be read (another engine, or a platform without {@code dlopen})
 */
public record EngineInfo(
        String engineName,
        String engineVersion,
        String djlVersion,
        Device device,
        int gpuCount,
        int threads,
        NativeLogging.Level nativeLogLevel) {

    /** System property through which DJL's PyTorch engine takes its intra-op thread count. */
    public static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";

    /**
     * Starts the engine (if not started), with {@code threads} intra-op threads when given. It does not
     * run the convolution canary (see {@link #convGuard()}). Before the engine loads it decides how OpenMP's idle
     * threads wait ({@link OpenMpWait#configure()}: the OpenMP runtime's default, spin then sleep, unless the
     * environment or {@value OpenMpWait#PROPERTY} says otherwise) and makes glibc's malloc keep freed memory for reuse ({@link
     * NativeMalloc#keepFreedMemory()}, unless the environment tunes malloc); once it is loaded it sets libtorch's own log threshold to {@code
     * ERROR} unless {@code TORCH_CPP_LOG_LEVEL} says otherwise ({@link NativeLogging}), so that
     * libtorch's deprecation warnings about DJL's native code stay out of the user's terminal.
     *
     * @param threads intra-op threads, or {@code null} for the engine's default; only honoured when
     *     the engine has not been loaded yet in this process
     * @return the description
     * @throws ai.djl.engine.EngineException when no engine can start
     */
    public static EngineInfo start(Integer threads) {
        // before libtorch loads its OpenMP runtime, which reads OMP_WAIT_POLICY once
        OpenMpWait.configure();
        // a training step frees what it allocated; glibc's defaults give it back and the next step faults it in
        NativeMalloc.keepFreedMemory();
        NativeLogging.requestIfUnset(NativeLogging.Level.ERROR);
        if (threads != null) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            }
            System.setProperty(THREADS_PROPERTY, Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        Engine engine = Engine.getInstance();
        NativeLogging.Level nativeLog = NativeLogging.apply().orElse(null);
        String t = System.getProperty(THREADS_PROPERTY);
        return new EngineInfo(
                engine.getEngineName(),
                engine.getVersion(),
                Engine.getDjlVersion(),
                Devices.preferred(),
                engine.getGpuCount(),
                t == null ? -1 : Integer.parseInt(t),
                nativeLog);
    }

    /**
     * The convolution guard's decision, made now (the canary runs, about a second) if no convolution
     * has run yet: {@link ConvGuard#status()}. Must not be called inside a {@code GradientCollector}.
     *
     * @return the decision
     */
    public ConvGuard.Status convGuard() {
        return ConvGuard.status();
    }

    /**
     * @return one line: engine, versions, device, threads, native log level and the guard's decision
     *     if it was made (its counts, not the canary's cases), else that it has not run yet
     */
    @Override
    public String toString() {
        return "EngineInfo[engine=" + engineName + " " + engineVersion + ", djl=" + djlVersion + ", device=" + device
                + ", gpus=" + gpuCount + ", threads=" + (threads < 0 ? "engine default" : threads)
                + ", nativeLog=" + nativeLogLevel + ", convGuard="
                + ConvGuard.decided().map(ConvGuard.Status::describe)
                        .orElse("not decided yet (at the first convolution)") + "]";
    }
}
