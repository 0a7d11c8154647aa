package io.gen4j.core.data;

import java.io.IOException;
import java.util.List;

/**
 * No source of a dataset worked. The message lists every place the {@link DatasetResolver} tried,
 * in order, with the reason each one failed, followed by how to fix it.
 */
public class DatasetNotFoundException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient List<DatasetResolver.Attempt> attempts;

    /**
     * Creates the exception.
     *
     * @param message the full message (places tried and fixes)
     * @param attempts the places tried, in order
     */
    public DatasetNotFoundException(String message, List<DatasetResolver.Attempt> attempts) {
        super(message);
        this.attempts = List.copyOf(attempts);
    }

    /** @return the places tried, in order, with the reason each failed */
    public List<DatasetResolver.Attempt> attempts() {
        return attempts;
    }
}
