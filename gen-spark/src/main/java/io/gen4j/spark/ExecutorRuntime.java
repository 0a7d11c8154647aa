package io.gen4j.spark;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.runtime.ConvGuard;
import io.gen4j.core.runtime.EngineInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an executor JVM does once, however many tasks it runs: start the engine (load the natives, set
 * the intra-op threads, run the convolution guard's canary, docs/known-issues.md §1) and load each broadcast
 * model. Every gen-spark task calls {@link #start(int)} first; the first call in a JVM does the work,
 * the others return its result. Every call also turns autograd recording off on the task's thread
 * ({@link #recordNoGradients()}).
 *
 * <p><b>Threads.</b> The intra-op thread count is a property of the process: it is taken from the
 * first task's request and kept. Choose it as {@code spark.executor.cores / spark.task.cpus}'s share
 * of the machine, e.g. {@code spark.task.cpus = threads} with one task per executor core set.
 *
 * <p><b>The engine's random generator is per process.</b> Two tasks of one executor that seeded it and
 * drew samples at the same time would interleave their draws. Tasks that seed and sample therefore hold
 * {@link #RANDOMNESS} while they do; tasks that draw nothing (feature extraction, statistics) run in
 * parallel.
 */
public final class ExecutorRuntime {

    /** Held by a task from seeding the engine's generator to the last draw that depends on the seed. */
    public static final Object RANDOMNESS = new Object();

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorRuntime.class);
    private static final AtomicInteger STARTS = new AtomicInteger();
    private static final Map<String, GenerativeModel> MODELS = new ConcurrentHashMap<>();
    private static volatile EngineInfo info;
    private static NDManager modelManager;

    private ExecutorRuntime() {}

    /**
     * Starts the engine in this JVM unless a task already did.
     *
     * @param threads intra-op threads, at least 1 (only the first call of the JVM sets them)
     * @return the engine as the first call started it
     */
    public static EngineInfo start(int threads) {
        EngineInfo i = info;
        if (i == null) {
            i = startOnce(threads);
        }
        recordNoGradients();
        return i;
    }

    private static EngineInfo startOnce(int threads) {
        synchronized (ExecutorRuntime.class) {
            if (info == null) {
                if (threads < 1) {
                    throw new IllegalArgumentException("threads must be >= 1, got " + threads);
                }
                EngineInfo started = EngineInfo.start(threads);
                ConvGuard.prepare(); // the canaries, before any task opens a GradientCollector
                STARTS.incrementAndGet();
                LOG.info("gen4j engine started in executor JVM {}: {} threads, conv guard {}", jvm(), threads,
                        started.convGuard().mode());
                info = started;
            }
            return info;
        }
    }

    /**
     * Turns autograd recording off on the calling thread. PyTorch keeps its grad mode per thread, on by
     * default; DJL turns it off only on the thread that loads the engine and a {@code GradientCollector}
     * restores the mode it found. On any other thread (a Spark task's) an optimizer's in-place update
     * of a parameter then fails with "a leaf Variable that requires grad is being used in an in-place
     * operation", and inference records graphs it never uses. DJL's API has no switch for it, so this
     * calls the PyTorch engine's {@code JniUtils.setGradMode(false)} by reflection (gen-spark does not
     * compile against the engine); other engines are left alone.
     */
    static void recordNoGradients() {
        if (!"PyTorch".equals(ai.djl.engine.Engine.getInstance().getEngineName())) {
            return;
        }
        try {
            Class.forName("ai.djl.pytorch.jni.JniUtils").getMethod("setGradMode", boolean.class).invoke(null, false);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot turn PyTorch's grad mode off on thread "
                    + Thread.currentThread().getName() + " (DJL's JniUtils.setGradMode changed?)", e);
        }
    }

    /** @return how many times this JVM started the engine: 1 after the first task, never more */
    public static int starts() {
        return STARTS.get();
    }

    /** @return this JVM's name ({@code pid@host}), which tasks report so the driver can count JVMs */
    public static String jvm() {
        return ManagementFactory.getRuntimeMXBean().getName();
    }

    /**
     * The model a broadcast carries, loaded once per JVM (from its bytes, through a folder under the
     * JVM's temporary directory, by {@link ModelStore}) and kept for the JVM's lifetime.
     *
     * @param model the broadcast model
     * @return the loaded model, shared by the JVM's tasks (sample it while holding {@link #RANDOMNESS})
     */
    public static GenerativeModel model(ModelBytes model) {
        return MODELS.computeIfAbsent(model.sha256(), key -> {
            try {
                Path dir = Files.createDirectories(
                        Path.of(System.getProperty("java.io.tmpdir"), "gen4j-spark-models", key + "-" + jvmSafe()));
                // removed when the JVM exits (registered folder first: deleteOnExit runs in reverse order)
                dir.toFile().deleteOnExit();
                dir.resolve(ModelStore.SPEC_FILE).toFile().deleteOnExit();
                dir.resolve(ModelStore.PARAMETERS_FILE).toFile().deleteOnExit();
                model.writeTo(dir);
                synchronized (ExecutorRuntime.class) {
                    if (modelManager == null) {
                        modelManager = NDManager.newBaseManager();
                    }
                }
                return ModelStore.load(dir, modelManager, GenerativeModel.class);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load the broadcast model " + key + " in " + jvm(), e);
            }
        });
    }

    private static String jvmSafe() {
        return jvm().replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
