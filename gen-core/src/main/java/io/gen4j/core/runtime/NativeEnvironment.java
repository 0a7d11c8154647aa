package io.gen4j.core.runtime;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.Locale;

/**
 * Sets variables in the process environment that native libraries read when they load (oneDNN's
 * {@code ONEDNN_MAX_CPU_ISA}, OpenMP's {@code OMP_WAIT_POLICY}). Java cannot change its own
 * environment, so this calls the C library's {@code setenv} through JNA (a dependency of DJL). It only
 * helps before the library in question has loaded.
 */
public final class NativeEnvironment {

    private NativeEnvironment() {}

    /** The C library's setenv/getenv. */
    private interface CLibrary extends Library {
        int setenv(String name, String value, int overwrite);

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
