package io.gen4j.core.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.gen4j.core.data.DatasetFormatException;
import io.gen4j.core.io.CorruptCheckpointException;
import io.gen4j.core.io.CorruptFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * A kit for feeding damaged files to a reader: random byte arrays, and a check that a read either
 * succeeds or fails with one of the project's clear, file-naming exceptions ({@link
 * DatasetFormatException}, {@link CorruptCheckpointException}, {@link CorruptFileException}), never
 * another exception. Used by {@code RandomBytesReaderProperties} and gen-eval's image readers.
 */
public final class ReaderFuzz {

    private ReaderFuzz() {}

    /** A read of a file. */
    @FunctionalInterface
    public interface Read {
        /**
         * @return what was read
         * @throws Exception when reading fails
         */
        Object run() throws Exception;
    }

    /**
     * @param maxSize the longest array
     * @return random byte arrays of 0 to {@code maxSize} bytes
     */
    public static Arbitrary<byte[]> bytes(int maxSize) {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(maxSize);
    }

    /**
     * @param read the read
     * @param file the file it reads, which a clear error must name
     * @return true when the read succeeded, false when it failed clearly; any other exception or
     *     error fails the test
     */
    public static boolean readOrClearError(Read read, Path file) {
        try {
            read.run();
            return true;
        } catch (DatasetFormatException | CorruptCheckpointException | CorruptFileException e) {
            assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
            return false;
        } catch (Throwable e) {
            fail("reading " + file + " threw " + e, e);
            return false;
        }
    }

    /**
     * @param read the read
     * @param file the file it reads
     * @param what what the file holds, for the failure message
     */
    public static void assertRefused(Read read, Path file, String what) {
        assertTrue(!readOrClearError(read, file), what + " in " + file + " was read");
    }

    /**
     * @param root a folder to delete with everything in it
     * @throws IOException when listing fails
     */
    public static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
