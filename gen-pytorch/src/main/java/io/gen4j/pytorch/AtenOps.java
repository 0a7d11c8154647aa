package io.gen4j.pytorch;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libtorch operators that DJL 0.36 does not expose, called through the operator entry points libtorch
 * exports ({@code at::_ops::<op>::call}), on the tensors DJL already holds.
 *
 * <p>A DJL {@code PtNDArray}'s handle is the address of a heap-allocated {@code at::Tensor}, which holds one
 * pointer to its {@code TensorImpl}. An entry point takes its tensor arguments by reference and returns an
 * {@code at::Tensor}, which the Itanium C++ ABI of Linux x86-64 returns through a hidden pointer passed as
 * the first argument. That pointer is 8 bytes from libtorch's own {@code operator new}, because DJL frees a
 * handle with C++ {@code delete}; the result is wrapped as a new {@code PtNDArray} in the manager of the
 * input. The call goes through libtorch's dispatcher, so autograd records it like any operator DJL calls.
 *
 * <p>Only where that ABI holds (Linux x86-64) and only when every symbol is found in the
 * {@code libtorch_cpu.so} this process loaded; a self-check then compares each operator with its composed
 * form on small arrays. Any failure leaves the composed forms in use (logged at debug level). A C++
 * exception cannot cross this boundary (it would end the process), so the callers pass only arguments the
 * operators accept: float32 or float64 arrays, parameters of the input's data type, device and shape, channel
 * counts the group count divides; anything else is composed.
 */
final class AtenOps {

    private static final Logger LOG = LoggerFactory.getLogger(AtenOps.class);
    private static final String SILU = "_ZN2at4_ops4silu4callERKNS_6TensorE";
    private static final String GROUP_NORM = "_ZN2at4_ops10group_norm4callERKNS_6TensorElRKSt8optionalIS2_ES8_db";
    private static final String OPERATOR_NEW = "_Znwm";
    /** sizeof(std::optional&lt;at::Tensor&gt;) in libstdc++: the TensorImpl pointer, then the engaged flag. */
    private static final int OPTIONAL_SIZE = 16;

    private static volatile Optional<AtenOps> instance;

    /** Two std::optional&lt;at::Tensor&gt; per thread, rewritten for each call (the callee copies what it keeps). */
    private final ThreadLocal<Memory> optionals = ThreadLocal.withInitial(() -> new Memory(2L * OPTIONAL_SIZE));

    /**
     * The entry points, bound by JNA's direct mapping (a JNI-speed call; {@code Function.invoke} costs several
     * microseconds more, which showed on small tensors). The method names are the exported symbols.
     */
    @SuppressWarnings({"checkstyle:MethodName", "unused"})
    private static final class Direct {
        private Direct() {}

        /** {@code operator new(size_t)} (reached through libtorch's dependencies). */
        static native long _Znwm(long size);

        /** {@code at::_ops::silu::call(const at::Tensor&)}, result through the hidden pointer. */
        static native void _ZN2at4_ops4silu4callERKNS_6TensorE(long result, long self);

        /**
         * {@code at::_ops::group_norm::call(const Tensor& input, int64_t num_groups, const optional<Tensor>&
         * weight, const optional<Tensor>& bias, double eps, bool cudnn_enabled)}.
         */
        static native void _ZN2at4_ops10group_norm4callERKNS_6TensorElRKSt8optionalIS2_ES8_db(
                long result, long input, long groups, long weight, long bias, double eps, boolean cudnnEnabled);
    }

    private AtenOps() {}

    /** @return the operators, or empty where they cannot be reached (found and checked once) */
    static Optional<AtenOps> get() {
        Optional<AtenOps> ops = instance;
        if (ops == null) {
            synchronized (AtenOps.class) {
                ops = instance;
                if (ops == null) {
                    ops = load();
                    instance = ops;
                }
            }
        }
        return ops;
    }

    private static Optional<AtenOps> load() {
        if (!Platform.isLinux() || !Platform.ARCH.equals("x86-64")) {
            LOG.debug("libtorch operator entry points: only on Linux x86-64 (this is {} {})", Platform.RESOURCE_PREFIX,
                    Platform.ARCH);
            return Optional.empty();
        }
        try {
            Engine.getEngine(PtKernels.ENGINE); // loads libtorch if nothing has yet (describe() may ask first)
            Optional<Path> library = loadedLibTorch();
            if (library.isEmpty()) {
                LOG.debug("libtorch operator entry points: libtorch_cpu.so is not loaded");
                return Optional.empty();
            }
            NativeLibrary torch = NativeLibrary.getInstance(library.get().toString());
            for (String symbol : new String[] {SILU, GROUP_NORM, OPERATOR_NEW}) {
                torch.getFunction(symbol); // throws UnsatisfiedLinkError when it is missing
            }
            Native.register(Direct.class, torch);
            AtenOps ops = new AtenOps();
            String failed = ops.selfCheck();
            if (failed != null) {
                LOG.warn("libtorch's {} through its entry point disagrees with the composed form; composing", failed);
                return Optional.empty();
            }
            LOG.debug("libtorch operator entry points found in {}", library.get());
            return Optional.of(ops);
        } catch (UnsatisfiedLinkError | IOException | RuntimeException e) {
            LOG.debug("libtorch operator entry points not available: {}", e.toString());
            return Optional.empty();
        }
    }

    /** @return the libtorch_cpu.so mapped into this process (DJL loaded it), from /proc/self/maps */
    private static Optional<Path> loadedLibTorch() throws IOException {
        List<String> maps = Files.readAllLines(Path.of("/proc/self/maps"));
        for (String line : maps) {
            int slash = line.indexOf('/');
            if (slash >= 0 && line.endsWith("/libtorch_cpu.so")) {
                return Optional.of(Path.of(line.substring(slash)));
            }
        }
        return Optional.empty();
    }

    /** @return the name of the first operator that disagrees with its composed form, or null */
    private String selfCheck() {
        try (NDManager m = Engine.getEngine(PtKernels.ENGINE).newBaseManager()) {
            NDArray x = m.create(new float[] {-3f, -0.5f, 0f, 0.7f, 4f, 1.5f, -1f, 2f}).reshape(2, 4, 1);
            NDArray s = silu(x);
            NDArray composedSilu = x.mul(x.getNDArrayInternal().sigmoid());
            if (!s.getShape().equals(x.getShape()) || s.sub(composedSilu).abs().max().getFloat() > 1e-6f) {
                return "silu";
            }
            NDArray gamma = m.create(new float[] {0.5f, 2f, -1f, 1.5f});
            NDArray beta = m.create(new float[] {0.1f, -0.2f, 0.3f, 0f});
            NDArray g = groupNorm(x, 2, gamma, beta, 1e-5);
            // composed: each example's two groups of two channels, biased variance
            NDArray grouped = x.reshape(2, 2, 2);
            NDArray mean = grouped.mean(new int[] {2}, true);
            NDArray var = grouped.sub(mean).square().mean(new int[] {2}, true);
            NDArray normed = grouped.sub(mean).div(var.add(1e-5).sqrt()).reshape(2, 4, 1);
            NDArray expected = normed.mul(gamma.reshape(1, 4, 1)).add(beta.reshape(1, 4, 1));
            if (!g.getShape().equals(x.getShape()) || g.sub(expected).abs().max().getFloat() > 1e-5f) {
                return "group_norm";
            }
        }
        return null;
    }

    /**
     * @param x a floating-point PyTorch array
     * @return {@code x·σ(x)}, in the manager of x
     */
    NDArray silu(NDArray x) {
        PtNDArray p = (PtNDArray) x;
        long result = Direct._Znwm(8);
        Direct._ZN2at4_ops4silu4callERKNS_6TensorE(result, p.getHandle());
        return new PtNDArray((PtNDManager) p.getManager(), result);
    }

    /**
     * @param x a floating-point PyTorch array (N, C, ...), C divisible by groups
     * @param groups G
     * @param gamma (C) of x's data type and device, or null
     * @param beta (C) of x's data type and device, or null
     * @param epsilon ε
     * @return the normalised array, in the manager of x
     */
    NDArray groupNorm(NDArray x, int groups, NDArray gamma, NDArray beta, double epsilon) {
        PtNDArray p = (PtNDArray) x;
        Memory opts = optionals.get();
        opts.clear();
        writeOptional(opts, 0, gamma);
        writeOptional(opts, OPTIONAL_SIZE, beta);
        long result = Direct._Znwm(8);
        long base = Pointer.nativeValue(opts);
        Direct._ZN2at4_ops10group_norm4callERKNS_6TensorElRKSt8optionalIS2_ES8_db(result, p.getHandle(), groups,
                base, base + OPTIONAL_SIZE, epsilon, false);
        return new PtNDArray((PtNDManager) p.getManager(), result);
    }

    /**
     * An engaged std::optional&lt;at::Tensor&gt; that borrows the array's TensorImpl pointer (no reference is
     * taken: the optional is never destroyed, and the callee copies what it keeps), or a disengaged one.
     */
    private static void writeOptional(Memory memory, long offset, NDArray array) {
        if (array == null) {
            return;
        }
        Pointer tensorImpl = new Pointer(((PtNDArray) array).getHandle()).getPointer(0);
        memory.setPointer(offset, tensorImpl);
        memory.setByte(offset + 8, (byte) 1);
    }

    /**
     * @param x input
     * @param groups G
     * @param gamma scale or null
     * @param beta shift or null
     * @return whether {@link #groupNorm} takes these arrays without a C++ exception
     */
    static boolean groupNormTakes(NDArray x, int groups, NDArray gamma, NDArray beta) {
        if (!floating(x) || x.getShape().dimension() < 2 || groups < 1 || x.getShape().get(1) % groups != 0) {
            return false;
        }
        long c = x.getShape().get(1);
        for (NDArray a : new NDArray[] {gamma, beta}) {
            if (a != null && (!(a instanceof PtNDArray) || a.getDataType() != x.getDataType()
                    || !a.getDevice().equals(x.getDevice()) || !a.getShape().equals(new Shape(c)))) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param x an array
     * @return whether it is a PyTorch array of float32 or float64 (the types the self-check and the tests cover;
     *     half precision is composed)
     */
    static boolean floating(NDArray x) {
        DataType t = x.getDataType();
        return x instanceof PtNDArray && (t == DataType.FLOAT32 || t == DataType.FLOAT64);
    }
}
