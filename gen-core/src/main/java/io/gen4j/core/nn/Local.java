package io.gen4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Arrays made local to a manager, for blocks and functions that compute in their caller's manager: an input
 * that belongs to another manager (a context or mask a caller keeps, a time step array) is copied in, so that
 * nothing made from it lands in, or is freed with, that other manager.
 */
public final class Local {

    private Local() {}

    /**
     * @param manager the manager the computation's results belong to
     * @param a an array
     * @return a itself when it belongs to the manager, else a copy of it attached there (so that nothing the
     *     computation makes from it lands in a's own manager)
     */
    public static NDArray in(NDManager manager, NDArray a) {
        if (a.getManager() == manager) {
            return a;
        }
        NDArray copy = a.duplicate();
        copy.attach(manager);
        return copy;
    }
}
