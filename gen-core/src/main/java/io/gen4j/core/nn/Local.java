package io.gen4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Arrays made local to a manager, for blocks and functions that compute in their caller's manager: an input
 * that belongs to another manager (a context or mask a caller keeps, a time step array, a parameter) gets a
 * handle there, so that nothing made from it lands in, or is freed with, that other manager.
 */
public final class Local {

    private Local() {}

    /**
     * The handle in the caller's manager is a second reference to a's tensor (no data are copied): it keeps
     * a's autograd history, so a gradient reaches a (a parameter, a text encoder's output) through it, and
     * closing it (with the caller's manager) leaves a as it is. Computations must not write into it in
     * place, which would write into a. DJL's {@code duplicate()} would not do: on the PyTorch engine it
     * returns a copy without the autograd history, and nothing upstream of it would learn.
     *
     * @param manager the manager the computation's results belong to
     * @param a an array
     * @return a itself when it belongs to the manager, else a new handle to it attached there (so that
     *     nothing the computation makes from it lands in a's own manager)
     */
    public static NDArray in(NDManager manager, NDArray a) {
        if (a.getManager() == manager) {
            return a;
        }
        // on the PyTorch engine, to(the same type) returns a new handle to the same tensor
        NDArray handle = a.toType(a.getDataType(), true);
        handle.attach(manager);
        return handle;
    }
}
