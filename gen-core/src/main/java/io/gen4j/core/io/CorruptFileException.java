package io.gen4j.core.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Thrown when a file the project reads (a saved model, a classifier file) is missing a part, is
 * truncated, damaged (its checksum does not match) or is not the kind of file expected. The
 * message names the file; nothing of such a file is used.
 */
public class CorruptFileException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The file. */
    private final transient Path file;

    /**
     * @param file the file
     * @param problem what is wrong, e.g. {@code "truncated: 1000 of 1139207 bytes"}
     */
    public CorruptFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /**
     * @param file the file
     * @param problem what is wrong
     * @param cause the underlying error
     */
    public CorruptFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** @return the file */
    public Path file() {
        return file;
    }
}
