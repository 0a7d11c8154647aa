package io.gen4j.core.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sub-kernels of a strided transposed convolution ({@link ConvTranspose2d}'s phase form) from its weight W
 * (C_in, C_out, k, k): (s²·C_out, C_in, t, t) with t = k/s, phase (φ_h, φ_w) of output channel o holding
 * W[c, o, φ_h + s(t − 1 − τ_h), φ_w + s(t − 1 − τ_w)] — the taps of that phase, flipped — and, for the strided
 * view of p = 1, the phases in reverse order.
 *
 * <p>Where s divides k each element of W is used exactly once, so the arrangement is a permutation of W's
 * elements: one gather ({@code take}) with an int64 index made once per shape, engine and device and kept for the
 * life of the process (C_in·C_out·k² indices: 256 KiB for DCGAN's 64 → 32 layer). Its backward puts each gradient
 * element back once. The composed arrangement (reshape, flip, transpose and the copy of the reshape: two copies
 * forward, two backward) took 0.145 ms forward and 0.39 ms forward and backward for that layer, the gather 0.060
 * and 0.17 (docs/performance.md, session 20).
 */
final class PhaseKernels {

    private record Key(String engine, Device device, Shape weight, int stride, boolean reversePhases) {}

    private static final Map<Key, NDArray> INDEX = new ConcurrentHashMap<>();
    private static final Map<String, NDManager> MANAGERS = new ConcurrentHashMap<>();

    private PhaseKernels() {}

    /**
     * The composed arrangement.
     *
     * @param w W as (C_in, C_out, t, s, t, s) (zero-padded to k = s·t where s does not divide k)
     * @param reversePhases whether the phases go in reverse order (the strided view of p = 1)
     * @return (s²·C_out, C_in, t, t)
     */
    static NDArray arrange(NDArray w, boolean reversePhases) {
        Shape sh = w.getShape();
        long cIn = sh.get(0);
        long cOut = sh.get(1);
        long t = sh.get(2);
        long s = sh.get(3);
        // (c, o, t_h, φ_h, t_w, φ_w) -> flip t (and φ) -> (φ_h, φ_w, o, c, τ_h, τ_w)
        // row-major for slow_conv2d's weight gradient (Conv2d.contiguous)
        return Conv2d.contiguous((reversePhases ? w.flip(2, 3, 4, 5) : w.flip(2, 4)).transpose(3, 5, 1, 0, 2, 4))
                .reshape(s * s * cOut, cIn, t, t);
    }

    /**
     * @param weight W (C_in, C_out, k, k) with s dividing k
     * @param s the stride
     * @param reversePhases whether the phases go in reverse order
     * @return the int64 index into W's elements (row-major) whose gather is {@link #arrange} of W, on W's device
     */
    static NDArray index(NDArray weight, int s, boolean reversePhases) {
        String engine = weight.getManager().getEngine().getEngineName();
        Key key = new Key(engine, weight.getDevice(), weight.getShape(), s, reversePhases);
        return INDEX.computeIfAbsent(key, PhaseKernels::make);
    }

    private static NDArray make(Key key) {
        NDManager cache = MANAGERS.computeIfAbsent(key.engine(), e -> Engine.getEngine(e).newBaseManager());
        Shape w = key.weight();
        long cIn = w.get(0);
        long cOut = w.get(1);
        long k = w.get(2);
        long s = key.stride();
        long t = k / s;
        try (NDManager scratch = cache.newSubManager(key.device())) {
            NDArray positions = scratch.arange(0, Math.toIntExact(w.size()), 1, DataType.INT64)
                    .reshape(cIn, cOut, t, s, t, s);
            NDArray index = arrange(positions, key.reversePhases()).reshape(-1);
            index.attach(cache);
            return index;
        }
    }
}
