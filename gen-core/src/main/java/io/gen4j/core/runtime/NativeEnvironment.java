package io.gen4j.core.runtime;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.Locale;

/**
 * Sets variables in the process environment that native libraries read (oneDNN's {@code
 * ONEDNN_MAX_CPU_ISA} and OpenMP's {@code OMP_WAIT_POLICY} when they load, libtorch's {@code
 * TORCH_CPP_LOG_LEVEL} when {@link NativeLogging#apply()} asks it to). Java cannot change its own
 * environment, so this calls the C library's {@code setenv} through JNA (a dependency of DJL). It only
 * helps before the library in question has loaded.
 */
public final class NativeEnvironment {

    private NativeEnvironment() {}

    /** The C library's setenv/getenv. */
    private interface CLibrary extends Library {
        int setenv(String name, String value, int overwrite);

        int unsetenv(String name);

        String getenv(String name);
    }

    private static CLibrary libc() {
        return Native.load("c", CLibrary.class);
    }

    /** @return true on systems with a POSIX {@code setenv} (not Windows) */
    public static boolean supported() {
        return !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
    }

    /**
     * Sets a variable, overwriting any value.
     *
     * @param name the variable
     * @param value its value
     * @throws IllegalStateException when {@code setenv} fails or the platform has none
     */
    public static void set(String name, String value) {
        if (!supported()) {
            throw new IllegalStateException("cannot set " + name + " from inside the JVM on this OS; set it before starting java");
        }
        int rc = libc().setenv(name, value, 1);
        if (rc != 0) {
            throw new IllegalStateException("setenv(" + name + ") failed with " + rc);
        }
    }

    /**
     * Removes a variable from the process environment (tests restore what they changed).
     *
     * @param name the variable
     * @throws IllegalStateException when {@code unsetenv} fails or the platform has none
     */
    public static void unset(String name) {
        if (!supported()) {
            throw new IllegalStateException("cannot unset " + name + " from inside the JVM on this OS");
        }
        int rc = libc().unsetenv(name);
        if (rc != 0) {
            throw new IllegalStateException("unsetenv(" + name + ") failed with " + rc);
        }
    }

    /**
     * Reads a variable from the live process environment, which, unlike {@link System#getenv}, sees
     * what {@link #set} put there.
     *
     * @param name the variable
     * @return its value, or null when unset or on a platform without {@code getenv} access
     */
    public static String get(String name) {
        return supported() ? libc().getenv(name) : null;
    }

    /**
     * Sets a variable unless the process already has it.
     *
     * @param name the variable
     * @param value its value
     * @return true when it was set by this call
     */
    public static boolean setIfAbsent(String name, String value) {
        if (!supported() || libc().getenv(name) != null) {
            return false;
        }
        set(name, value);
        return true;
    }
}
