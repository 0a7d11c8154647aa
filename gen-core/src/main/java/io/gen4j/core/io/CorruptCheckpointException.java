package io.gen4j.core.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Thrown when a checkpoint file is incomplete or damaged (bad magic, truncated, checksum
 * mismatch): such a file is never loaded.
 */
public final class CorruptCheckpointException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param file the file
     * @param reason what is wrong with it
     */
    public CorruptCheckpointException(Path file, String reason) {
        super("checkpoint " + file + " is not valid: " + reason);
    }
}
