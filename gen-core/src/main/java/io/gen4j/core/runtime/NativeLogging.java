package io.gen4j.core.runtime;

import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threshold of libtorch's own log: the c10 messages that libtorch writes straight to stderr,
 * outside SLF4J, such as {@code [W… LegacyTypeDispatch.h:74] Warning: AutoNonVariableTypeMode is
 * deprecated …} (printed once per process by DJL's {@code NDArray.set(Buffer)}, which uses that
 * guard).
 *
 * <p>libtorch's documented switch is the environment variable {@code TORCH_CPP_LOG_LEVEL} ({@code
 * INFO}, {@code WARNING}, {@code ERROR}, {@code FATAL} or 0–3), but libtorch reads it only in {@code
 * c10::initLogging()}, which Python's {@code import torch} calls and nothing calls when DJL loads
 * libtorch into a JVM. Measured with libtorch 2.7.1 and DJL 0.36: the variable alone has no effect,
 * the level stays at {@code WARNING}. {@link #apply()} calls {@code c10::initLogging()} through JNA
 * once the engine has loaded libtorch, so the variable works as documented.
 *
 * <pre>
 *   NativeLogging.requestIfUnset(Level.ERROR);   // TORCH_CPP_LOG_LEVEL=ERROR unless the user set it
 *   Engine.getInstance();                        // loads libtorch
 *   NativeLogging.apply();                       // c10::initLogging(): libtorch reads the variable
 * </pre>
 *
 * <p>{@link EngineInfo#start(Integer)} does exactly this with {@link Level#ERROR}: warnings are hidden,
 * errors still printed; {@code TORCH_CPP_LOG_LEVEL=WARNING} in the environment brings the warnings
 * back. Errors of libtorch operations are not log messages: they reach Java as exceptions whatever
 * the level. POSIX systems only (it uses {@code setenv} and {@code dlopen}); elsewhere both methods
 * do nothing.
 */
public final class NativeLogging {

    /** The environment variable libtorch reads its log threshold from. */
    public static final String ENV = "TORCH_CPP_LOG_LEVEL";

    private static final Logger LOG = LoggerFactory.getLogger(NativeLogging.class);
    private static final String LEVEL_FLAG = "FLAGS_caffe2_log_level";
    private static final String INIT_LOGGING = "_ZN3c1011initLoggingEv"; // c10::initLogging()

    private NativeLogging() {}

    /** libtorch's (c10's) log severities, least severe first; a message is printed when its level is at least the threshold. */
    public enum Level {
        /** Everything, including informational messages. */
        INFO,
        /** Warnings and worse: libtorch's default. */
        WARNING,
        /** Errors and fatal messages only. */
        ERROR,
        /** Fatal messages only. */
        FATAL;

        /**
         * Parses a value of {@code TORCH_CPP_LOG_LEVEL}: a name or its number 0–3, case-insensitive.
         *
         * @param text the value
         * @return the level
         * @throws IllegalArgumentException naming the bad value and the accepted ones
         */
        public static Level parse(String text) {
            String s = text.trim().toUpperCase(Locale.ROOT);
            for (Level level : values()) {
                if (s.equals(level.name()) || s.equals(Integer.toString(level.ordinal()))) {
                    return level;
                }
            }
            throw new IllegalArgumentException(
                    ENV + " must be one of INFO, WARNING, ERROR, FATAL (or 0-3), got '" + text + "'");
        }
    }

    /**
     * Puts {@code level} into the process environment as {@link #ENV} unless the process already has
     * the variable (a user's choice always wins). Takes effect at the next {@link #apply()}.
     *
     * @param level the threshold wanted
     * @return true when this call set the variable
     */
    public static boolean requestIfUnset(Level level) {
        return NativeEnvironment.setIfAbsent(ENV, level.name());
    }

    /**
     * Makes a loaded libtorch read {@link #ENV} (it calls {@code c10::initLogging()}) and reports
     * the threshold now in force. Does nothing when libtorch is not loaded in this process (another
     * engine, or before {@code Engine.getInstance()}); it never loads a library itself.
     *
     * @return the threshold in force, or empty when libtorch is not loaded or not reachable
     */
    public static Optional<Level> apply() {
        if (!NativeEnvironment.supported()) {
            return Optional.empty();
        }
        String value = NativeEnvironment.get(ENV); // the live environment, not the JVM's snapshot
        if (value != null) {
            try {
                Level.parse(value);
            } catch (IllegalArgumentException e) {
                LOG.warn("{}; libtorch keeps its previous log level", e.getMessage());
                return current();
            }
        }
        Optional<NativeLibrary> c10 = loadedC10();
        if (c10.isEmpty()) {
            return Optional.empty();
        }
        try {
            c10.get().getFunction(INIT_LOGGING).invokeVoid(new Object[0]);
        } catch (UnsatisfiedLinkError e) {
            LOG.debug("libc10 has no c10::initLogging(): {}", e.toString());
            return current();
        }
        return current();
    }

    /**
     * @return libtorch's log threshold now in force, or empty when libtorch is not loaded in this
     *     process
     */
    public static Optional<Level> current() {
        Optional<NativeLibrary> c10 = loadedC10();
        if (c10.isEmpty()) {
            return Optional.empty();
        }
        try {
            int flag = c10.get().getGlobalVariableAddress(LEVEL_FLAG).getInt(0);
            // negative values are verbose levels below INFO
            return Optional.of(Level.values()[Math.max(0, Math.min(flag, Level.FATAL.ordinal()))]);
        } catch (UnsatisfiedLinkError e) {
            LOG.debug("libc10 has no {}: {}", LEVEL_FLAG, e.toString());
            return Optional.empty();
        }
    }

    /** libc10 as already loaded by the engine: dlopen with RTLD_NOLOAD never loads a second copy. */
    private static Optional<NativeLibrary> loadedC10() {
        if (!NativeEnvironment.supported()) {
            return Optional.empty();
        }
        int rtldLazy = 0x1;
        int rtldNoLoad = Platform.isMac() ? 0x10 : 0x4;
        try {
            return Optional.of(NativeLibrary.getInstance(
                    "c10", Map.of(Library.OPTION_OPEN_FLAGS, rtldLazy | rtldNoLoad)));
        } catch (UnsatisfiedLinkError e) {
            LOG.debug("libc10 is not loaded in this process: {}", e.getMessage());
            return Optional.empty();
        }
    }
}
