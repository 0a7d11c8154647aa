package io.gen4j.core.runtime;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes glibc's {@code malloc} keep the memory a training step frees, so the next step reuses it instead of
 * faulting fresh pages in.
 *
 * <p>libtorch allocates every CPU array with {@code malloc}. glibc's defaults hand large freed blocks back to the
 * system: blocks from 128 KiB (rising with use, up to 32 MiB) get their own {@code mmap} and are unmapped when
 * freed, and free memory at the top of the heap is trimmed once it exceeds a threshold. A training step frees
 * nearly all it allocated (its activations), so the next step's arrays fault their pages in again, 4 KiB at a
 * time. Measured with DDPM's bench (docs/performance.md, session 12): about 26,000 minor page faults per
 * training step and 1.5-1.8 s per step with a 128 MiB trim threshold; no growth in faults and 1.0-1.4 s per step
 * with the settings below. PyTorch's reference in Python, with the same 128 MiB setting, ran its steps without
 * extra faults. The JVM's threads are not the process's first thread, so their arrays come from glibc thread
 * arenas made of 64 MiB heaps, and glibc unmaps such a heap as soon as it is entirely free, whatever the trim
 * threshold; only the top pad stops that.
 *
 * <p>{@link #keepFreedMemory()} calls {@code mallopt}: {@code M_MMAP_THRESHOLD} 32 MiB (the largest glibc
 * accepts: smaller blocks come from the heap) and {@code M_TRIM_THRESHOLD} 2 GiB - 1 (the largest the {@code int}
 * argument holds: freed memory stays in the process until more than that is free at the top of the heap) and
 * {@code M_TOP_PAD} 64 MiB (a whole thread-arena heap: glibc keeps a heap that would leave at most this free). The
 * process's resident size then stays near its peak instead of falling between steps; the peak itself does not
 * change. {@link EngineInfo#start(Integer)} calls it. It does nothing, and says why, when:
 *
 * <ul>
 *   <li>the system property {@value #PROPERTY} is {@code system};
 *   <li>the environment already tunes malloc: {@code GLIBC_TUNABLES} with a {@code glibc.malloc.} setting, or
 *       {@code MALLOC_TRIM_THRESHOLD_}, {@code MALLOC_MMAP_THRESHOLD_} or {@code MALLOC_TOP_PAD_} (a user's choice
 *       wins; {@code ./gen4j} sets {@code GLIBC_TUNABLES} to the same values, from the first allocation on);
 *   <li>the C library is not glibc (no {@code gnu_get_libc_version}: macOS, Windows, musl).
 * </ul>
 */
public final class NativeMalloc {

    /** System property: {@code keep} (the default) or {@code system} (leave glibc's settings alone). */
    public static final String PROPERTY = "gen4j.malloc";
    /** The mmap threshold set: 32 MiB, glibc's maximum. */
    public static final int MMAP_THRESHOLD = 32 << 20;
    /** The trim threshold set: the largest {@code int}. */
    public static final int TRIM_THRESHOLD = Integer.MAX_VALUE;
    /** The top pad set: 64 MiB, the size of a thread arena's heap on 64-bit systems. */
    public static final int TOP_PAD = 64 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(NativeMalloc.class);
    private static final String[] MALLOC_ENV = {"MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TOP_PAD_"};
    /** {@code M_TRIM_THRESHOLD} and {@code M_MMAP_THRESHOLD} of glibc's {@code malloc.h}. */
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_THRESHOLD = -3;

    private static volatile Status status;

    private NativeMalloc() {}

    /**
     * What {@link #keepFreedMemory()} did.
     *
     * @param applied true when this process's malloc now keeps freed memory because gen4j set it
     * @param description one line for logs, {@code doctor} and {@code bench}
     */
    public record Status(boolean applied, String description) {
        @Override
        public String toString() {
            return description;
        }
    }

    /** glibc's {@code mallopt} and {@code gnu_get_libc_version}. */
    private interface GlibC extends Library {
        int mallopt(int param, int value);
    }

    /**
     * Sets the thresholds once per process (later calls return the first answer).
     *
     * @return what was done, or why nothing was
     */
    public static synchronized Status keepFreedMemory() {
        if (status == null) {
            status = decide();
            LOG.debug("malloc: {}", status.description());
        }
        return status;
    }

    /**
     * @return the answer of {@link #keepFreedMemory()} if it was called in this process
     */
    public static Optional<Status> decided() {
        return Optional.ofNullable(status);
    }

    private static Status decide() {
        String property = System.getProperty(PROPERTY, "keep").trim().toLowerCase(Locale.ROOT);
        if (property.equals("system")) {
            return new Status(false, "glibc's own settings (" + PROPERTY + "=system)");
        }
        if (!property.equals("keep")) {
            throw new IllegalArgumentException(PROPERTY + " must be keep or system, got '" + property + "'");
        }
        if (!NativeEnvironment.supported()) {
            return new Status(false, "the system's allocator (not glibc)");
        }
        String tunables = NativeEnvironment.get("GLIBC_TUNABLES");
        if (tunables != null && tunables.contains("glibc.malloc.")) {
            return new Status(false, "as GLIBC_TUNABLES sets it: " + tunables);
        }
        for (String name : MALLOC_ENV) {
            String value = NativeEnvironment.get(name);
            if (value != null) {
                return new Status(false, "as the environment sets it: " + name + "=" + value);
            }
        }
        NativeLibrary c;
        try {
            c = NativeLibrary.getInstance("c");
            c.getFunction("gnu_get_libc_version");
        } catch (UnsatisfiedLinkError e) {
            return new Status(false, "the system's allocator (not glibc)");
        }
        GlibC glibc = Native.load("c", GlibC.class);
        boolean mmap = glibc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1;
        boolean trim = glibc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1;
        boolean pad = glibc.mallopt(M_TOP_PAD, TOP_PAD) == 1;
        if (!mmap || !trim || !pad) {
            return new Status(false, "glibc refused mallopt (mmap threshold " + (mmap ? "set" : "refused")
                    + ", trim threshold " + (trim ? "set" : "refused") + ", top pad " + (pad ? "set" : "refused") + ")");
        }
        return new Status(true, "freed memory kept for reuse (gen4j: mallopt mmap threshold 32 MiB, trim threshold"
                + " 2 GiB, top pad 64 MiB; " + PROPERTY + "=system turns this off)");
    }
}
