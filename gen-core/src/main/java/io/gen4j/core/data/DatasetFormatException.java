package io.gen4j.core.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A dataset file exists but its content is not what its format promises: a bad magic number, a
 * truncated body, image and label counts that disagree, a label out of range.
 *
 * <p>Readers throw this instead of returning tensors built from garbage. The message always names
 * the file and what was wrong with it.
 */
public class DatasetFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * Creates the exception.
     *
     * @param file the offending file
     * @param problem what was wrong, e.g. {@code "bad magic 0x00000802, expected 0x00000803"}
     */
    public DatasetFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /**
     * Creates the exception with a cause (an {@link java.io.EOFException} from a truncated gzip
     * stream, for instance).
     *
     * @param file the offending file
     * @param problem what was wrong
     * @param cause the underlying error
     */
    public DatasetFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** @return the offending file */
    public Path file() {
        return file;
    }
}
