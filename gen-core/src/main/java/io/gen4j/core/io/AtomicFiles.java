package io.gen4j.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a file so that a crash at any moment leaves either the old file or the complete new one:
 * a temporary file in the target's folder, forced to disk, renamed onto the target with an atomic
 * move, then the folder forced. The temporary file is created like any other file (not with {@link
 * Files#createTempFile}, whose files are {@code rw-------}), so the result has the usual permissions
 * for the user's umask, {@code rw-r--r--} under the common 022.
 *
 * <pre>{@code
 * AtomicFiles.write(Path.of("report.json"), out -> out.write(bytes));
 * }</pre>
 */
public final class AtomicFiles {

    private static final Logger LOG = LoggerFactory.getLogger(AtomicFiles.class);

    /** Suffix of temporary files; never the name of a finished file. */
    public static final String TEMP_SUFFIX = ".tmp";

    private static final java.security.SecureRandom NAMES = new java.security.SecureRandom();

    /** Writes the content of a file. */
    @FunctionalInterface
    public interface Content {
        /**
         * @param out the stream to write to (do not close it)
         * @throws IOException when writing fails
         */
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {}

    /**
     * @param file the target (its folder must exist)
     * @param content what to write
     * @throws IOException when writing fails; the target is then unchanged and the temporary file removed
     */
    public static void write(Path file, Content content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + file.getFileName() + "-" + Long.toUnsignedString(NAMES.nextLong(), 36) + TEMP_SUFFIX);
        try {
            // CREATE_NEW with the default permissions: 0666 minus the umask, as for any new file
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                BufferedOutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot rename atomically", e);
            }
            forceDirectory(dir);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory; the rename is still atomic there.
            LOG.debug("cannot fsync directory {}: {}", dir, e.toString());
        }
    }
}
