package io.gen4j.core.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.math.Scalars;
import java.util.HashMap;
import java.util.Map;

/**
 * The scalar constants of one optimizer update or one clipping, made once and shared by every
 * parameter instead of once per parameter and operation: an Adam update of P parameters issued 2 ops
 * (make the constant, use it) per scalar multiplication, P times over; with the constants shared it
 * issues one op per multiplication and a handful of constants per update.
 *
 * <p>The results are bit-identical to {@link Scalars}: a constant is the same libtorch-owned scalar
 * tensor of the array's data type and device ({@code manager.full}); float64 and non-floating arrays
 * go through {@link Scalars} unchanged. No autograd is involved (optimizer state and gradients are
 * updated in place outside a gradient collector), so sharing a constant between operations is safe.
 * Close it when the update is done.
 */
final class UpdateConstants implements AutoCloseable {

    private record Key(float value, DataType type, Device device) {}

    private final NDManager manager;
    private final Map<Key, NDArray> cache = new HashMap<>();

    /** @param parent a manager to open this cache's sub-manager in */
    UpdateConstants(NDManager parent) {
        this.manager = parent.newSubManager();
    }

    private NDArray constant(NDArray like, float c) {
        Key key = new Key(c, like.getDataType(), like.getDevice());
        NDArray k = cache.get(key);
        if (k == null) {
            k = manager.full(new Shape(), c, like.getDataType(), like.getDevice());
            cache.put(key, k);
        }
        return k;
    }

    private static boolean shareable(NDArray x) {
        return x.getDataType().isFloating() && x.getDataType() != DataType.FLOAT64;
    }

    /** @return {@code x · c}, a new array in x's manager, as {@link Scalars#times} */
    NDArray times(NDArray x, float c) {
        return shareable(x) ? x.mul(constant(x, c)) : Scalars.times(x, c);
    }

    /** @return x, now {@code x · c}, as {@link Scalars#timesInPlace} */
    NDArray timesInPlace(NDArray x, float c) {
        return shareable(x) ? x.muli(constant(x, c)) : Scalars.timesInPlace(x, c);
    }

    /** @return x, now {@code x / c}, as {@link Scalars#dividedByInPlace} */
    NDArray dividedByInPlace(NDArray x, float c) {
        return shareable(x) ? x.divi(constant(x, c)) : Scalars.dividedByInPlace(x, c);
    }

    /** @return x, now {@code x + c}, as {@code x.addi(c)} */
    NDArray plusInPlace(NDArray x, float c) {
        return shareable(x) ? x.addi(constant(x, c)) : x.addi(c);
    }

    @Override
    public void close() {
        manager.close();
    }
}
