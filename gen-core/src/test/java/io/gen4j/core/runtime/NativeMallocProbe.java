package io.gen4j.core.runtime;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child-JVM probe for {@link NativeMallocTest}: optionally calls {@link NativeMalloc#keepFreedMemory()}, then
 * mallocs 96 blocks of 2 MiB (192 MiB) (above glibc's default mmap threshold of 128 KiB, below the 32 MiB gen4j sets),
 * writes every page, frees them all and prints the status and how many MiB of resident memory the frees gave
 * back to the system ({@code VmRSS} before and after).
 */
public final class NativeMallocProbe {

    private static final int BLOCKS = 96;
    private static final long BLOCK = 2L << 20;

    private NativeMallocProbe() {}

    /**
     * @param args {@code keep} to call {@link NativeMalloc#keepFreedMemory()} first, anything else not to
     * @throws IOException reading /proc/self/status
     */
    public static void main(String[] args) throws IOException {
        String status = args.length > 0 && args[0].equals("keep")
                ? NativeMalloc.keepFreedMemory().toString() : "not called";
        long[] blocks = new long[BLOCKS];
        for (int i = 0; i < BLOCKS; i++) {
            blocks[i] = Native.malloc(BLOCK);
            new Pointer(blocks[i]).setMemory(0, BLOCK, (byte) 1);
        }
        long full = residentKib();
        for (int i = BLOCKS - 1; i >= 0; i--) {
            Native.free(blocks[i]);
        }
        long after = residentKib();
        System.out.println("status " + status);
        System.out.println("returned-mib " + (full - after) / 1024);
    }

    private static long residentKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }
}
