package io.gen4j.core.train;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Something whose state a checkpoint must save beside the network parameters: an optimizer's
 * moments and update count, an EMA's shadow weights.
 *
 * <p>{@link #loadState} must restore exactly what {@link #saveState} wrote (bit-exact arrays), so
 * that a resumed run continues as if it had never stopped.
 */
public interface Stateful {

    /**
     * Writes the state.
     *
     * @param out the stream to write to
     * @throws IOException when writing fails
     */
    void saveState(DataOutputStream out) throws IOException;

    /**
     * Replaces the state with one written by {@link #saveState}.
     *
     * @param in the stream to read from
     * @throws IOException when reading fails or the state does not fit this object (names, shapes)
     */
    void loadState(DataInputStream in) throws IOException;
}
