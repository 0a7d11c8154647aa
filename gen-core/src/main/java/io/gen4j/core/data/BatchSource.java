package io.gen4j.core.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * An endless, seeded stream of training batches with a position that a checkpoint can save and a
 * resumed run can seek back to.
 *
 * <p>Implementations shuffle with their own seeded {@link java.util.Random} (never the engine's), so
 * the same seed and position give the same batches on every run.
 */
public interface BatchSource {

    /**
     * Builds the next batch in the given manager (normally the per-step scope of the loop).
     *
     * @param manager the manager that will own the batch arrays
     * @return the batch: data first, then labels where the source has them
     */
    NDList next(NDManager manager);

    /** @return where the stream is: the number of batches served so far */
    long position();

    /**
     * Moves the stream so that the next batch is the one served at {@code position} in a fresh run
     * with the same seed.
     *
     * @param position a value returned by {@link #position()}
     */
    void seek(long position);
}
