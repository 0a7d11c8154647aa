package io.gen4j.core.kernels;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * An engine's conversions between float32 and bfloat16 arrays, recorded by autograd like any operator (the
 * gradient of a conversion is the conversion back). DJL 0.36 cannot make a bfloat16 array itself (its
 * {@code toType} ends the process) and reports the type of one as {@code UNKNOWN}: a bfloat16 array may be
 * given only to operators that take any floating type (DJL's convolution does), and never to code that asks
 * for its data type. {@code io.gen4j.core.runtime.Autocast} uses this for convolutions.
 */
public interface Bfloat16Casts {

    /**
     * @param x a float32 array of this engine, on the CPU
     * @param manager where the result goes
     * @return x rounded to bfloat16, to nearest with ties to even
     */
    NDArray toBfloat16(NDArray x, NDManager manager);

    /**
     * @param x a bfloat16 array made by {@link #toBfloat16} or by an operator on such arrays
     * @param manager where the result goes
     * @return x as float32 (exact)
     */
    NDArray toFloat32(NDArray x, NDManager manager);

    /**
     * @param x any array
     * @return whether {@link #toBfloat16} takes it
     */
    boolean takes(NDArray x);
}
