package io.gen4j.core.runtime;

/**
 * Thrown at a safe point when a stop has been requested ({@link StopSignal}): the work unwinds, closing its
 * managers, files and logs on the way.
 */
public class StopRequestedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what stopped and why
     */
    public StopRequestedException(String message) {
        super(message);
    }
}
