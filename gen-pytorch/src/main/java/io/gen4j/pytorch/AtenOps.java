package io.gen4j.pytorch;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import io.gen4j.core.kernels.AdamUpdate;
import io.gen4j.core.math.Scalars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
    private static final String FUSED_ADAM =
            "_ZN2at4_ops12_fused_adam_4callEN3c108ArrayRefINS_6TensorEEES5_S5_S5_S5_S5_dddddbbRKSt8optionalIS4_ES9_";
    private static final String FUSED_ADAMW =
            "_ZN2at4_ops13_fused_adamw_4callEN3c108ArrayRefINS_6TensorEEES5_S5_S5_S5_S5_dddddbbRKSt8optionalIS4_ES9_";
    private static final String FOREACH_LERP =
            "_ZN2at4_ops21_foreach_lerp__Scalar4callEN3c108ArrayRefINS_6TensorEEES5_RKNS2_6ScalarE";
    private static final String FOREACH_ZERO = "_ZN2at4_ops14_foreach_zero_4callEN3c108ArrayRefINS_6TensorEEE";
    private static final String FOREACH_MUL_TENSOR =
            "_ZN2at4_ops20_foreach_mul__Tensor4callEN3c108ArrayRefINS_6TensorEEERKS4_";
    private static final String FOREACH_NORM = "_ZN2at4_ops20_foreach_norm_Scalar4callEN3c108ArrayRefINS_6TensorEEE"
            + "RKNS2_6ScalarESt8optionalINS2_10ScalarTypeEE";
    private static final String ATTENTION =
            "_ZN2at4_ops28scaled_dot_product_attention4callERKNS_6TensorES4_S4_RKSt8optionalIS2_EdbS5_IdEb";
    private static final String TO_DTYPE =
            "_ZN2at4_ops8to_dtype4callERKNS_6TensorEN3c1010ScalarTypeEbbSt8optionalINS5_12MemoryFormatEE";
    private static final String AS_STRIDED =
            "_ZN2at4_ops10as_strided4callERKNS_6TensorEN3c108ArrayRefINS5_6SymIntEEES8_St8optionalIS7_E";
    private static final String ADDMM_OUT =
            "_ZN2at4_ops9addmm_out4callERKNS_6TensorES4_S4_RKN3c106ScalarES8_RS2_";
    private static final String SIGMOID_ = "_ZN2at4_ops8sigmoid_4callERNS_6TensorE";
    private static final String RELU_ = "_ZN2at4_ops5relu_4callERNS_6TensorE";
    private static final String MUL_ = "_ZN2at4_ops11mul__Tensor4callERNS_6TensorERKS2_";
    private static final String COPY_ = "_ZN2at4_ops5copy_4callERNS_6TensorERKS2_b";
    private static final String IS_CONTIGUOUS = "_ZNK3c1010TensorImpl20is_contiguous_customENS_12MemoryFormatE";
    private static final String REQUIRES_GRAD = "_ZNK3c1010TensorImpl13requires_gradEv";
    private static final String OPERATOR_NEW = "_Znwm";
    private static final String OPERATOR_DELETE = "_ZdlPv";
    /**
     * The largest update index the fused Adam takes: its CPU kernel reads the step as a float32, exact up to
     * 2^24.
     */
    static final long MAX_FUSED_STEP = 1L << 24;
    /** sizeof(std::optional&lt;at::Tensor&gt;) in libstdc++: the TensorImpl pointer, then the engaged flag. */
    private static final int OPTIONAL_SIZE = 16;
    /**
     * sizeof(c10::Scalar): the tag (an int), then a union that holds a {@code c10::complex<double>}, which is
     * declared 16-byte aligned, so the union starts at 16.
     */
    private static final int SCALAR_SIZE = 32;
    private static final int SCALAR_UNION_OFFSET = 16;
    /** {@code c10::ScalarType::Float}. */
    static final byte FLOAT32 = 6;
    /** {@code c10::ScalarType::BFloat16}. */
    static final byte BFLOAT16 = 15;
    /** {@code c10::MemoryFormat::ChannelsLast}. */
    private static final byte CHANNELS_LAST = 2;
    /** sizeof(std::vector&lt;at::Tensor&gt;) in libstdc++: begin, end and end of storage. */
    private static final int VECTOR_SIZE = 24;

    private static volatile Optional<AtenOps> instance;

    /** Two std::optional&lt;at::Tensor&gt; per thread, rewritten for each call (the callee copies what it keeps). */
    private final ThreadLocal<Memory> optionals = ThreadLocal.withInitial(() -> new Memory(2L * OPTIONAL_SIZE));
    /** The most axes {@link #asStrided} takes. */
    static final int MAX_VIEW_AXES = 12;
    /**
     * The arguments of {@link #asStrided} per thread: the sizes, the strides (int64 each: the data of two {@code
     * ArrayRef<SymInt>}) and a disengaged {@code std::optional<SymInt>} storage offset (16 bytes).
     */
    private final ThreadLocal<Memory> viewArguments =
            ThreadLocal.withInitial(() -> new Memory(2L * MAX_VIEW_AXES * Long.BYTES + 16));

    /**
     * The entry points, bound by JNA's direct mapping (a JNI-speed call; {@code Function.invoke} costs several
     * microseconds more, which showed on small tensors). The method names are the exported symbols.
     */
    @SuppressWarnings({"checkstyle:MethodName", "unused"})
    private static final class Direct {
        private Direct() {}

        /** {@code operator new(size_t)} (reached through libtorch's dependencies). */
        static native long _Znwm(long size);

        /** {@code operator delete(void*)}. */
        static native void _ZdlPv(long pointer);

        /**
         * {@code c10::TensorImpl::is_contiguous_custom(MemoryFormat) const} of the base class, called on the
         * TensorImpl directly (not an operator: no dispatch, nothing recorded, cannot throw): for a tensor without
         * symbolic sizes or a Python subclass it returns the flag libtorch keeps from the sizes and strides. The
         * {@code bool} comes back in the low byte of the return register only, hence {@code byte}.
         */
        static native byte _ZNK3c1010TensorImpl20is_contiguous_customENS_12MemoryFormatE(long tensorImpl,
                byte memoryFormat);

        /**
         * {@code c10::TensorImpl::requires_grad() const} (libc10, reached through libtorch's dependencies; not an
         * operator: nothing recorded, cannot throw): whether the tensor has autograd metadata that asks for a
         * gradient, i.e. a leaf marked for one or an operation's result that autograd records. The {@code bool}
         * comes back in the low byte, hence {@code byte}.
         */
        static native byte _ZNK3c1010TensorImpl13requires_gradEv(long tensorImpl);

        /**
         * {@code at::_ops::_fused_adam_::call(TensorList self, TensorList grads, TensorList exp_avgs, TensorList
         * exp_avg_sqs, TensorList max_exp_avg_sqs, TensorList state_steps, double lr, double beta1, double beta2,
         * double weight_decay, double eps, bool amsgrad, bool maximize, const optional<Tensor>& grad_scale,
         * const optional<Tensor>& found_inf)}. A {@code TensorList} ({@code c10::ArrayRef<at::Tensor>}, 16
         * trivially copyable bytes) is passed by value as its two words, data and length; the argument registers
         * hold the first three lists whole, so the ABI's rule against splitting one across registers and stack
         * never applies.
         */
        static native void _ZN2at4_ops12_fused_adam_4callEN3c108ArrayRefINS_6TensorEEES5_S5_S5_S5_S5_dddddbbRKSt8optionalIS4_ES9_(
                long self, long selfLength, long grads, long gradsLength, long expAvgs, long expAvgsLength,
                long expAvgSqs, long expAvgSqsLength, long maxExpAvgSqs, long maxExpAvgSqsLength, long steps,
                long stepsLength, double lr, double beta1, double beta2, double weightDecay, double eps,
                boolean amsgrad, boolean maximize, long gradScale, long foundInf);

        /** {@code at::_ops::_fused_adamw_::call}, the same arguments as {@code _fused_adam_}. */
        static native void _ZN2at4_ops13_fused_adamw_4callEN3c108ArrayRefINS_6TensorEEES5_S5_S5_S5_S5_dddddbbRKSt8optionalIS4_ES9_(
                long self, long selfLength, long grads, long gradsLength, long expAvgs, long expAvgsLength,
                long expAvgSqs, long expAvgSqsLength, long maxExpAvgSqs, long maxExpAvgSqsLength, long steps,
                long stepsLength, double lr, double beta1, double beta2, double weightDecay, double eps,
                boolean amsgrad, boolean maximize, long gradScale, long foundInf);

        /**
         * {@code at::_ops::scaled_dot_product_attention::call(const Tensor& query, const Tensor& key, const
         * Tensor& value, const optional<Tensor>& attn_mask, double dropout_p, bool is_causal, optional<double>
         * scale, bool enable_gqa)}, result through the hidden pointer. The six integer registers are taken by
         * then, so the 16-byte {@code optional<double>} (the value, then the engaged flag) goes whole on the
         * stack, followed by {@code enable_gqa}: hence the value's bits as a {@code long}, which the ABI also
         * puts on the stack (a {@code double} would go to a free vector register).
         */
        static native void _ZN2at4_ops28scaled_dot_product_attention4callERKNS_6TensorES4_S4_RKSt8optionalIS2_EdbS5_IdEb(
                long result, long query, long key, long value, long attnMask, double dropout, boolean isCausal,
                long scaleBits, long scaleEngaged, boolean enableGqa);

        /**
         * {@code at::_ops::_foreach_lerp__Scalar::call(TensorList self, TensorList tensors1, const Scalar&
         * weight)}.
         */
        static native void _ZN2at4_ops21_foreach_lerp__Scalar4callEN3c108ArrayRefINS_6TensorEEES5_RKNS2_6ScalarE(
                long self, long selfLength, long ends, long endsLength, long weight);

        /** {@code at::_ops::_foreach_zero_::call(TensorList self)}. */
        static native void _ZN2at4_ops14_foreach_zero_4callEN3c108ArrayRefINS_6TensorEEE(long self, long length);

        /** {@code at::_ops::_foreach_mul__Tensor::call(TensorList self, const Tensor& other)}. */
        static native void _ZN2at4_ops20_foreach_mul__Tensor4callEN3c108ArrayRefINS_6TensorEEERKS4_(
                long self, long length, long other);

        /**
         * {@code at::_ops::_foreach_norm_Scalar::call(TensorList self, const Scalar& ord, optional<ScalarType>
         * dtype)}; the {@code std::vector<at::Tensor>} comes back through the hidden pointer, and the
         * two-byte optional is passed in a register (0: empty).
         */
        static native void _ZN2at4_ops20_foreach_norm_Scalar4callEN3c108ArrayRefINS_6TensorEEERKNS2_6ScalarESt8optionalINS2_10ScalarTypeEE(
                long result, long self, long length, long ord, int dtype);

        /**
         * {@code at::_ops::to_dtype::call(const Tensor& self, ScalarType dtype, bool non_blocking, bool copy,
         * optional<MemoryFormat> memory_format)}, result through the hidden pointer; the one-byte enum and the
         * two-byte optional (0: empty, preserve the layout) go in registers.
         */
        static native void _ZN2at4_ops8to_dtype4callERKNS_6TensorEN3c1010ScalarTypeEbbSt8optionalINS5_12MemoryFormatEE(
                long result, long self, byte dtype, boolean nonBlocking, boolean copy, short memoryFormat);

        /**
         * {@code at::_ops::as_strided::call(const Tensor& self, SymIntArrayRef size, SymIntArrayRef stride,
         * optional<SymInt> storage_offset)}, result through the hidden pointer. Each {@code ArrayRef<SymInt>}
         * (data, length: 16 trivially copyable bytes) is passed by value as its two words in registers; a {@code
         * c10::SymInt} holds a plain value in one int64 (not symbolic for the values here). The optional has a
         * non-trivial copy constructor (SymInt's), so the ABI passes it by reference to a copy the caller owns,
         * on the stack: a disengaged one (the engaged flag at byte 8 is 0) keeps self's storage offset.
         */
        static native void _ZN2at4_ops10as_strided4callERKNS_6TensorEN3c108ArrayRefINS5_6SymIntEEES8_St8optionalIS7_E(
                long result, long self, long size, long sizeLength, long stride, long strideLength, long offset);

        /**
         * {@code at::_ops::addmm_out::call(const Tensor& self, const Tensor& mat1, const Tensor& mat2, const Scalar&
         * beta, const Scalar& alpha, Tensor& out)}: out = beta·self + alpha·mat1·mat2; returns {@code out} (a
         * reference, in the return register: no hidden pointer).
         */
        static native long _ZN2at4_ops9addmm_out4callERKNS_6TensorES4_S4_RKN3c106ScalarES8_RS2_(long self,
                long mat1, long mat2, long beta, long alpha, long out);

        /** {@code at::_ops::sigmoid_::call(Tensor& self)}, in place; returns {@code self}. */
        static native long _ZN2at4_ops8sigmoid_4callERNS_6TensorE(long self);

        /** {@code at::_ops::relu_::call(Tensor& self)}, in place; returns {@code self}. */
        static native long _ZN2at4_ops5relu_4callERNS_6TensorE(long self);

        /** {@code at::_ops::mul__Tensor::call(Tensor& self, const Tensor& other)}, in place; returns {@code self}. */
        static native long _ZN2at4_ops11mul__Tensor4callERNS_6TensorERKS2_(long self, long other);

        /** {@code at::_ops::copy_::call(Tensor& self, const Tensor& src, bool non_blocking)}; returns {@code self}. */
        static native long _ZN2at4_ops5copy_4callERNS_6TensorERKS2_b(long self, long src, boolean nonBlocking);

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
            for (String symbol : new String[] {SILU, GROUP_NORM, FUSED_ADAM, FUSED_ADAMW, FOREACH_ZERO,
                    FOREACH_LERP, FOREACH_MUL_TENSOR, FOREACH_NORM, ATTENTION, TO_DTYPE, AS_STRIDED, ADDMM_OUT, SIGMOID_,
                    RELU_, MUL_, COPY_, IS_CONTIGUOUS, REQUIRES_GRAD, OPERATOR_NEW,
                    OPERATOR_DELETE}) {
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
            String lists = checkLists(m);
            String attention = lists != null ? lists : checkAttention(m);
            String casts = attention != null ? attention : checkCasts(m);
            String views = casts != null ? casts : checkViews(m);
            String inPlace = views != null ? views : checkInPlace(m);
            return inPlace != null ? inPlace : checkGradientFlag(m);
        }
    }

    /** @return "scaled_dot_product_attention" when it disagrees with softmax(q·kᵀ/√d + bias)·v, else null */
    private String checkAttention(NDManager m) {
        NDArray q = m.create(new float[] {1f, 0f, 0f, 2f, -1f, 1f}).reshape(1, 1, 3, 2);
        NDArray k = m.create(new float[] {0.5f, -1f, 2f, 0f}).reshape(1, 1, 2, 2);
        NDArray v = m.create(new float[] {1f, 2f, 3f, -4f}).reshape(1, 1, 2, 2);
        NDArray bias = m.create(new float[] {0f, -0.5f}).reshape(1, 1, 1, 2);
        NDArray got = attention(q, k, v, bias);
        NDArray scores = Scalars.dividedBy(q.matMul(k.transpose(0, 1, 3, 2)), Math.sqrt(2)).add(bias);
        NDArray expected = scores.softmax(-1).matMul(v);
        if (!got.getShape().equals(expected.getShape()) || got.sub(expected).abs().max().getFloat() > 1e-5f) {
            return "scaled_dot_product_attention";
        }
        return null;
    }

    /**
     * @return "to_dtype" when float32 → bfloat16 → float32 does not keep the values bfloat16 holds exactly and
     *     round the others to the nearest (ties to even) of its 8 significant bits, else null
     */
    private String checkCasts(NDManager m) {
        // 1 + 2^-8 is a tie between 1 and 1 + 2^-7 (even: 1); 1 + 3·2^-8 a tie between 1 + 2^-7 and 1 + 2^-6
        // (even: 1 + 2^-6); 1 + 2^-8 + 2^-12 lies above the tie (1 + 2^-7)
        float[] in = {1.5f, -3f, 0.15625f, 1f + 0x1p-8f, 1f + 3 * 0x1p-8f, 1f + 0x1p-8f + 0x1p-12f, 0f, -65280f};
        float[] expected = {1.5f, -3f, 0.15625f, 1f, 1f + 0x1p-6f, 1f + 0x1p-7f, 0f, -65280f};
        NDArray x = m.create(in);
        NDArray b = toBfloat16(x, m);
        NDArray back = toFloat32(b, m);
        boolean ok = back.getDataType() == DataType.FLOAT32 && Arrays.equals(back.toFloatArray(), expected);
        b.close();
        return ok ? null : "to_dtype";
    }

    /**
     * @return "as_strided" when a view with a stride that spans two axes, of a row-major and of a channels-last
     *     array, does not read the elements it names, else null
     */
    private String checkViews(NDManager m) {
        float[] values = new float[24];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        NDArray rowMajor = m.create(values).reshape(2, 3, 2, 2);
        // channels-last: memory order (n, h, w, c); element (n, c, h, w) holds its memory offset
        NDArray channelsLast = m.create(values).reshape(2, 2, 2, 3).transpose(0, 3, 1, 2);
        if (!Arrays.equals(denseStrides(rowMajor), new long[] {12, 4, 2, 1})
                || !Arrays.equals(denseStrides(channelsLast), new long[] {12, 1, 6, 3})
                || denseStrides(rowMajor.transpose(0, 1, 3, 2)) != null) {
            return "as_strided";
        }
        for (NDArray x : new NDArray[] {rowMajor, channelsLast}) {
            // each element holds its memory offset; the view reads offsets 5i + 2j for i < 3, j < 2
            NDArray v = asStrided(x, new long[] {3, 2}, new long[] {5, 2});
            if (!Arrays.equals(v.toFloatArray(), new float[] {0f, 2f, 5f, 7f, 10f, 12f})) {
                return "as_strided";
            }
        }
        return null;
    }

    /**
     * @return "requires_grad" when libtorch's flag is not set for a leaf marked for a gradient and for an
     *     operation's result on it recorded in grad mode, or is set for an unmarked array and a detached one, else
     *     null (grad mode is switched on for the check and restored: no GradientCollector is opened, since DJL
     *     allows one at a time and the check may run inside a caller's)
     */
    private String checkGradientFlag(NDManager m) {
        NDArray leaf = m.create(new float[] {1f, 2f});
        NDArray plain = m.create(new float[] {3f, 4f});
        leaf.setRequiresGradient(true);
        boolean gradMode = JniUtils.isGradMode();
        NDArray recorded;
        try {
            JniUtils.setGradMode(true);
            recorded = leaf.mul(plain);
        } finally {
            JniUtils.setGradMode(gradMode);
        }
        boolean ok = requiresGrad(leaf) && requiresGrad(recorded) && !requiresGrad(plain)
                && !requiresGrad(recorded.stopGradient());
        return ok ? null : "requires_grad";
    }

    /**
     * @param x a PyTorch array
     * @return whether autograd records operations on x: libtorch's own flag, true for a leaf marked for a
     *     gradient and for the result of a recorded operation on one (DJL 0.36's {@code hasGradient()} reports
     *     false for the latter)
     */
    static boolean requiresGrad(NDArray x) {
        return Direct._ZNK3c1010TensorImpl13requires_gradEv(tensorImpl((PtNDArray) x)) != 0;
    }

    /** @return the name of the first list operation that disagrees with its definition on small arrays, or null */
    private String checkLists(NDManager m) {
        NDArray a = m.create(new float[] {3f, -4f});
        NDArray b = m.create(new float[] {1f, 2f, -2f}).reshape(3, 1);
        NDList norms = norms(List.of(a, b));
        if (norms.size() != 2 || Math.abs(norms.get(0).getFloat() - 5f) > 1e-6f
                || Math.abs(norms.get(1).getFloat() - 3f) > 1e-6f) {
            return "_foreach_norm";
        }
        scale(List.of(a, b), m.create(-0.5f));
        if (!Arrays.equals(a.toFloatArray(), new float[] {-1.5f, 2f})
                || !Arrays.equals(b.toFloatArray(), new float[] {-0.5f, -1f, 1f})) {
            return "_foreach_mul_";
        }
        // one Adam step from zero moments moves each weight by lr·sign(g) (ε = 1e-8 is below float32's
        // resolution here); AdamW first scales it by 1 − lr·wd
        for (boolean decoupled : new boolean[] {false, true}) {
            NDArray w = m.create(new float[] {1f, 2f});
            NDArray g = m.create(new float[] {0.5f, -3f});
            NDArray mean = m.zeros(new Shape(2));
            NDArray var = m.zeros(new Shape(2));
            adam(List.of(w), List.of(g), List.of(mean), List.of(var),
                    new AdamUpdate(0.25f, 1, 0.9, 0.999, 1e-8, decoupled ? 0.5 : 0.0, decoupled));
            float shrink = decoupled ? 0.875f : 1f;
            float[] got = w.toFloatArray();
            if (Math.abs(got[0] - (shrink - 0.25f)) > 1e-6f || Math.abs(got[1] - (2f * shrink + 0.25f)) > 1e-6f
                    || Math.abs(mean.toFloatArray()[1] + 0.3f) > 1e-6f) {
                return decoupled ? "_fused_adamw_" : "_fused_adam_";
            }
        }
        lerp(List.of(a), List.of(m.create(new float[] {0.5f, 4f})), 0.25);
        if (!Arrays.equals(a.toFloatArray(), new float[] {-1f, 2.5f})) {
            return "_foreach_lerp_";
        }
        b.set(new NDIndex("0, 0"), Float.NaN);
        zero(List.of(a, b));
        if (a.abs().sum().getFloat() != 0f || b.abs().sum().getFloat() != 0f) {
            return "_foreach_zero_";
        }
        return null;
    }

    /**
     * @param x a float32 PyTorch array
     * @param manager where the result goes
     * @return x rounded to bfloat16 (to nearest, ties to even), a PyTorch array DJL reports as of an unknown
     *     type: only operators that take any floating type may be given it
     */
    NDArray toBfloat16(NDArray x, NDManager manager) {
        return cast(x, BFLOAT16, manager);
    }

    /**
     * @param x a bfloat16 array made by {@link #toBfloat16} or by an operator on such arrays
     * @param manager where the result goes
     * @return x as float32 (exact)
     */
    NDArray toFloat32(NDArray x, NDManager manager) {
        return cast(x, FLOAT32, manager);
    }

    private static NDArray cast(NDArray x, byte type, NDManager manager) {
        long result = Direct._Znwm(8);
        Direct._ZN2at4_ops8to_dtype4callERKNS_6TensorEN3c1010ScalarTypeEbbSt8optionalINS5_12MemoryFormatEE(result,
                ((PtNDArray) x).getHandle(), type, false, false, (short) 0);
        return new PtNDArray((PtNDManager) manager, result);
    }

    /**
     * @param x a PyTorch array
     * @return x's strides in elements when it is dense in row-major order or, 4-D, in channels-last order; else
     *     null
     */
    static long[] denseStrides(NDArray x) {
        if (!(x instanceof PtNDArray p)) {
            return null;
        }
        long[] shape = x.getShape().getShape();
        long impl = tensorImpl(p);
        if (Direct._ZNK3c1010TensorImpl20is_contiguous_customENS_12MemoryFormatE(impl, (byte) 0) != 0) {
            long[] strides = new long[shape.length];
            long step = 1;
            for (int k = shape.length - 1; k >= 0; k--) {
                strides[k] = step;
                step *= shape[k];
            }
            return strides;
        }
        if (shape.length == 4
                && Direct._ZNK3c1010TensorImpl20is_contiguous_customENS_12MemoryFormatE(impl, CHANNELS_LAST) != 0) {
            long c = shape[1];
            long w = shape[3];
            return new long[] {shape[2] * w * c, 1, w * c, c};
        }
        return null;
    }

    /**
     * A view of x's memory (libtorch's {@code as_strided}) starting at x's first element; callers check {@link
     * #viewTakes}.
     *
     * @param x a dense PyTorch array ({@link #denseStrides} not null)
     * @param size the view's shape
     * @param stride per axis, in elements
     * @return the view, in x's manager
     */
    NDArray asStrided(NDArray x, long[] size, long[] stride) {
        PtNDArray p = (PtNDArray) x;
        int d = size.length;
        Memory args = viewArguments.get();
        for (int k = 0; k < d; k++) {
            args.setLong((long) Long.BYTES * k, size[k]);
            args.setLong((long) Long.BYTES * (d + k), stride[k]);
        }
        long optional = 2L * Long.BYTES * d;
        args.setLong(optional, 0L);
        args.setLong(optional + Long.BYTES, 0L); // disengaged: self's storage offset
        long base = Pointer.nativeValue(args);
        long result = Direct._Znwm(8);
        Direct._ZN2at4_ops10as_strided4callERKNS_6TensorEN3c108ArrayRefINS5_6SymIntEEES8_St8optionalIS7_E(result,
                p.getHandle(), base, d, base + (long) Long.BYTES * d, d, base + optional);
        return new PtNDArray((PtNDManager) p.getManager(), result);
    }

    /**
     * @return null when {@link #asStrided} takes these arguments without a C++ exception and inside x's elements
     *     (x a dense PyTorch array; 1 to {@value #MAX_VIEW_AXES} axes, sizes at least 1, strides at least 0, the
     *     last element read before x's end), else the reason it does not
     */
    static String viewRefusal(NDArray x, long[] size, long[] stride) {
        if (denseStrides(x) == null) {
            return "the array is not dense in row-major or channels-last order";
        }
        if (size.length != stride.length || size.length < 1 || size.length > MAX_VIEW_AXES) {
            return "expected 1 to " + MAX_VIEW_AXES + " axes, as many sizes as strides";
        }
        long last = 0;
        for (int k = 0; k < size.length; k++) {
            if (size[k] < 1 || stride[k] < 0) {
                return "sizes must be at least 1 and strides at least 0, got " + Arrays.toString(size) + " and "
                        + Arrays.toString(stride);
            }
            last = Math.addExact(last, Math.multiplyExact(size[k] - 1, stride[k]));
        }
        if (last >= x.getShape().size()) {
            return "the view reads element " + last + " of an array of " + x.getShape().size();
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
     * {@code softmax(q·kᵀ/√d + bias)·v} by libtorch's {@code scaled_dot_product_attention} (no dropout, not
     * causal, the default scale 1/√d); callers check {@link #attentionTakes}.
     *
     * @param q (N, H, Lq, d)
     * @param k (N, H, Lk, d)
     * @param v (N, H, Lk, d)
     * @param bias additive mask broadcastable to (N, H, Lq, Lk), or null
     * @return (N, H, Lq, d) in the manager of q
     */
    NDArray attention(NDArray q, NDArray k, NDArray v, NDArray bias) {
        PtNDArray p = (PtNDArray) q;
        Memory opts = optionals.get();
        opts.clear();
        writeOptional(opts, 0, bias);
        long result = Direct._Znwm(8);
        Direct._ZN2at4_ops28scaled_dot_product_attention4callERKNS_6TensorES4_S4_RKSt8optionalIS2_EdbS5_IdEb(result,
                p.getHandle(), ((PtNDArray) k).getHandle(), ((PtNDArray) v).getHandle(), Pointer.nativeValue(opts),
                0.0, false, 0L, 0L, false);
        return new PtNDArray((PtNDManager) p.getManager(), result);
    }

    /**
     * @return whether {@link #attention} takes these arrays without a C++ exception: float32 or float64 CPU
     *     arrays of one type; q (N, H, Lq, d), k and v (N, H, Lk, d); a bias of that type whose shape
     *     broadcasts to (N, H, Lq, Lk)
     */
    static boolean attentionTakes(NDArray q, NDArray k, NDArray v, NDArray bias) {
        if (!floating(q) || !q.getDevice().getDeviceType().equals(Device.Type.CPU)) {
            return false;
        }
        for (NDArray a : new NDArray[] {k, v, bias}) {
            if (a != null && (!(a instanceof PtNDArray) || a.getDataType() != q.getDataType()
                    || !a.getDevice().equals(q.getDevice()))) {
                return false;
            }
        }
        Shape qs = q.getShape();
        Shape ks = k.getShape();
        if (qs.dimension() != 4 || !ks.equals(v.getShape()) || ks.dimension() != 4 || qs.get(0) != ks.get(0)
                || qs.get(1) != ks.get(1) || qs.get(3) != ks.get(3) || qs.get(3) < 1 || ks.get(2) < 1) {
            return false;
        }
        if (bias != null) {
            long[] scores = {qs.get(0), qs.get(1), qs.get(2), ks.get(2)};
            long[] b = bias.getShape().getShape();
            if (b.length > 4) {
                return false;
            }
            for (int i = 1; i <= b.length; i++) {
                long size = b[b.length - i];
                if (size != 1 && size != scores[4 - i]) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * One Adam ({@code _fused_adam_}) or AdamW ({@code _fused_adamw_}) update of every parameter; callers check
     * {@link #adamTakes} first. The state step is one float32 scalar holding t, listed once per parameter. The
     * call runs with autograd's grad mode off (the parameters require gradients; an in-place update of them
     * with grad mode on is an error that would end the process here).
     */
    void adam(List<NDArray> w, List<NDArray> g, List<NDArray> m, List<NDArray> v, AdamUpdate u) {
        int n = w.size();
        long list = 8L * n;
        try (NDManager scope = w.get(0).getManager().newSubManager();
                Memory memory = new Memory(5 * list + OPTIONAL_SIZE)) {
            PtNDArray step = (PtNDArray) scope.create((float) u.step());
            writeList(memory, 0, w);
            writeList(memory, list, g);
            writeList(memory, 2 * list, m);
            writeList(memory, 3 * list, v);
            long stepImpl = tensorImpl(step);
            for (int i = 0; i < n; i++) {
                memory.setLong(4 * list + 8L * i, stepImpl);
            }
            memory.setMemory(5 * list, OPTIONAL_SIZE, (byte) 0); // a disengaged optional<Tensor>, for grad_scale and found_inf
            long base = Pointer.nativeValue(memory);
            long none = base + 5 * list;
            boolean gradMode = JniUtils.isGradMode();
            if (gradMode) {
                JniUtils.setGradMode(false);
            }
            try {
                if (u.decoupled()) {
                    Direct._ZN2at4_ops13_fused_adamw_4callEN3c108ArrayRefINS_6TensorEEES5_S5_S5_S5_S5_dddddbbRKSt8optionalIS4_ES9_(
                            base, n, base + list, n, base + 2 * list, n, base + 3 * list, n, 0L, 0L, base + 4 * list,
                            n, u.learningRate(), u.beta1(), u.beta2(), u.weightDecay(), u.epsilon(), false, false,
                            none, none);
                } else {
                    Direct._ZN2at4_ops12_fused_adam_4callEN3c108ArrayRefINS_6TensorEEES5_S5_S5_S5_S5_dddddbbRKSt8optionalIS4_ES9_(
                            base, n, base + list, n, base + 2 * list, n, base + 3 * list, n, 0L, 0L, base + 4 * list,
                            n, u.learningRate(), u.beta1(), u.beta2(), u.weightDecay(), u.epsilon(), false, false,
                            none, none);
                }
            } finally {
                if (gradMode) {
                    JniUtils.setGradMode(true);
                }
            }
        }
    }

    /**
     * @return whether {@link #adam} takes these lists without a C++ exception or a wrong result: the same
     *     positive length; CPU arrays of the PyTorch engine; at each index one type (float32 or float64) and one
     *     shape; every array contiguous (the CPU kernel walks the raw memory); t within {@link #MAX_FUSED_STEP}
     */
    static boolean adamTakes(List<NDArray> w, List<NDArray> g, List<NDArray> m, List<NDArray> v, AdamUpdate u) {
        int n = w.size();
        if (n == 0 || g.size() != n || m.size() != n || v.size() != n || u.step() > MAX_FUSED_STEP) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            NDArray weight = w.get(i);
            if (!floating(weight) || !weight.getDevice().getDeviceType().equals(Device.Type.CPU)) {
                return false;
            }
            for (NDArray a : new NDArray[] {weight, g.get(i), m.get(i), v.get(i)}) {
                if (!(a instanceof PtNDArray) || a.getDataType() != weight.getDataType()
                        || !a.getDevice().equals(weight.getDevice()) || !a.getShape().equals(weight.getShape())
                        || !contiguous(a)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Sets every array to zero ({@code _foreach_zero_}), grad mode off; callers check {@link #listTakes}.
     *
     * @param arrays the arrays
     */
    void zero(List<NDArray> arrays) {
        try (Memory memory = listOf(arrays)) {
            boolean gradMode = JniUtils.isGradMode();
            if (gradMode) {
                JniUtils.setGradMode(false);
            }
            try {
                Direct._ZN2at4_ops14_foreach_zero_4callEN3c108ArrayRefINS_6TensorEEE(Pointer.nativeValue(memory),
                        arrays.size());
            } finally {
                if (gradMode) {
                    JniUtils.setGradMode(true);
                }
            }
        }
    }

    /**
     * {@code a += weight·(b − a)} for every pair ({@code _foreach_lerp_.Scalar}), grad mode off; callers check
     * {@link #lerpTakes}.
     *
     * @param arrays the arrays, updated in place
     * @param ends their partners
     * @param weight the partners' weight
     */
    void lerp(List<NDArray> arrays, List<NDArray> ends, double weight) {
        int n = arrays.size();
        try (Memory memory = new Memory(SCALAR_SIZE + 16L * n)) {
            long base = Pointer.nativeValue(memory);
            memory.setMemory(0, SCALAR_SIZE, (byte) 0); // tag 0 is Tag::HAS_d
            memory.setDouble(SCALAR_UNION_OFFSET, weight);
            writeList(memory, SCALAR_SIZE, arrays);
            writeList(memory, SCALAR_SIZE + 8L * n, ends);
            boolean gradMode = JniUtils.isGradMode();
            if (gradMode) {
                JniUtils.setGradMode(false);
            }
            try {
                Direct._ZN2at4_ops21_foreach_lerp__Scalar4callEN3c108ArrayRefINS_6TensorEEES5_RKNS2_6ScalarE(
                        base + SCALAR_SIZE, n, base + SCALAR_SIZE + 8L * n, n, base);
            } finally {
                if (gradMode) {
                    JniUtils.setGradMode(true);
                }
            }
        }
    }

    /**
     * @return whether {@link #lerp} takes these lists: each {@link #listTakes}, of one length, with the same
     *     type and shape at each index, and a weight in [0, 1]
     */
    static boolean lerpTakes(List<NDArray> arrays, List<NDArray> ends, double weight) {
        if (!(weight >= 0 && weight <= 1) || arrays.size() != ends.size() || !listTakes(arrays) || !listTakes(ends)
                || arrays.get(0).getDataType() != ends.get(0).getDataType()) {
            return false;
        }
        for (int i = 0; i < arrays.size(); i++) {
            if (!arrays.get(i).getShape().equals(ends.get(i).getShape())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Multiplies every array in place by a scalar array ({@code _foreach_mul_.Tensor}), grad mode off; callers
     * check {@link #listTakes} and that the factor is a scalar of the arrays' type and device.
     *
     * @param arrays the arrays
     * @param factor the scalar
     */
    void scale(List<NDArray> arrays, NDArray factor) {
        try (Memory memory = listOf(arrays)) {
            boolean gradMode = JniUtils.isGradMode();
            if (gradMode) {
                JniUtils.setGradMode(false);
            }
            try {
                Direct._ZN2at4_ops20_foreach_mul__Tensor4callEN3c108ArrayRefINS_6TensorEEERKS4_(
                        Pointer.nativeValue(memory), arrays.size(), ((PtNDArray) factor).getHandle());
            } finally {
                if (gradMode) {
                    JniUtils.setGradMode(true);
                }
            }
        }
    }

    /**
     * The L2 norm of each array ({@code _foreach_norm} with ord 2); callers check {@link #listTakes}. The
     * returned {@code std::vector<at::Tensor>} hands its tensors over: each is moved into a new 8-byte
     * {@code at::Tensor} for DJL to own (the reference moves with it), then the vector's buffer is freed
     * without running the elements' destructors.
     *
     * @param arrays the arrays
     * @return one scalar array per array, in the manager of the first
     */
    NDList norms(List<NDArray> arrays) {
        PtNDManager manager = (PtNDManager) arrays.get(0).getManager();
        // the Scalar first, where the allocation is 16-byte aligned as its union must be; then the vector
        try (Memory memory = new Memory(SCALAR_SIZE + VECTOR_SIZE + 8L * arrays.size())) {
            long base = Pointer.nativeValue(memory);
            memory.setMemory(0, SCALAR_SIZE + VECTOR_SIZE, (byte) 0); // tag 0 is Tag::HAS_d
            memory.setDouble(SCALAR_UNION_OFFSET, 2.0);
            writeList(memory, SCALAR_SIZE + VECTOR_SIZE, arrays);
            long vector = base + SCALAR_SIZE;
            Direct._ZN2at4_ops20_foreach_norm_Scalar4callEN3c108ArrayRefINS_6TensorEEERKNS2_6ScalarESt8optionalINS2_10ScalarTypeEE(
                    vector, base + SCALAR_SIZE + VECTOR_SIZE, arrays.size(), base, 0);
            long begin = memory.getLong(SCALAR_SIZE);
            long end = memory.getLong(SCALAR_SIZE + 8);
            int count = (int) ((end - begin) / 8);
            NDList out = new NDList(count);
            Pointer elements = new Pointer(begin);
            for (int i = 0; i < count; i++) {
                long holder = Direct._Znwm(8);
                new Pointer(holder).setLong(0, elements.getLong(8L * i));
                out.add(new PtNDArray(manager, holder));
            }
            if (begin != 0) {
                Direct._ZdlPv(begin);
            }
            return out;
        }
    }

    /**
     * @param arrays the arrays
     * @return whether the list operations take them: a non-empty list of float32 or float64 CPU arrays of the
     *     PyTorch engine, all of one type
     */
    static boolean listTakes(List<NDArray> arrays) {
        if (arrays.isEmpty()) {
            return false;
        }
        DataType type = arrays.get(0).getDataType();
        for (NDArray a : arrays) {
            if (!floating(a) || a.getDataType() != type || !a.getDevice().getDeviceType().equals(Device.Type.CPU)) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param a a PyTorch array
     * @return whether its elements lie in row-major order without gaps ({@code MemoryFormat::Contiguous}, 0)
     */
    static boolean contiguous(NDArray a) {
        return Direct._ZNK3c1010TensorImpl20is_contiguous_customENS_12MemoryFormatE(tensorImpl((PtNDArray) a),
                (byte) 0) != 0;
    }

    /** @return native memory holding the arrays as a TensorList's data */
    private static Memory listOf(List<NDArray> arrays) {
        Memory memory = new Memory(8L * arrays.size());
        writeList(memory, 0, arrays);
        return memory;
    }

    /**
     * Writes the arrays as consecutive at::Tensor values: each is its TensorImpl pointer, borrowed (no
     * reference is taken; the list is never destroyed, and the callee copies what it keeps).
     */
    private static void writeList(Memory memory, long offset, List<NDArray> arrays) {
        for (int i = 0; i < arrays.size(); i++) {
            memory.setLong(offset + 8L * i, tensorImpl((PtNDArray) arrays.get(i)));
        }
    }

    private static long tensorImpl(PtNDArray array) {
        return new Pointer(array.getHandle()).getLong(0);
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
     * A {@code c10::Scalar} holding the double 1 (the beta and alpha of {@link #addmm}), written once and never
     * freed: the callee only reads it. 16-byte aligned by JNA's allocation, as the union must be.
     */
    private static final Memory ONE = scalar(1.0);

    private static Memory scalar(double value) {
        Memory m = new Memory(SCALAR_SIZE);
        m.setMemory(0, SCALAR_SIZE, (byte) 0); // tag 0 is Tag::HAS_d
        m.setDouble(SCALAR_UNION_OFFSET, value);
        return m;
    }

    /**
     * out = addend + a·b ({@code addmm.out}, beta = alpha = 1); callers check {@link #inPlaceTakes} and the shapes.
     */
    static void addmm(NDArray out, NDArray addend, NDArray a, NDArray b) {
        Direct._ZN2at4_ops9addmm_out4callERKNS_6TensorES4_S4_RKN3c106ScalarES8_RS2_(handle(addend), handle(a),
                handle(b), Pointer.nativeValue(ONE), Pointer.nativeValue(ONE), handle(out));
    }

    /** x = σ(x) ({@code sigmoid_}); callers check {@link #inPlaceTakes}. */
    static void sigmoidInPlace(NDArray x) {
        Direct._ZN2at4_ops8sigmoid_4callERNS_6TensorE(handle(x));
    }

    /** x = max(x, 0) ({@code relu_}); callers check {@link #inPlaceTakes}. */
    static void reluInPlace(NDArray x) {
        Direct._ZN2at4_ops5relu_4callERNS_6TensorE(handle(x));
    }

    /** x = x·y ({@code mul_.Tensor}); callers check {@link #inPlaceTakes} and the shapes. */
    static void mulInPlace(NDArray x, NDArray y) {
        Direct._ZN2at4_ops11mul__Tensor4callERNS_6TensorERKS2_(handle(x), handle(y));
    }

    /** out = src ({@code copy_}); callers check {@link #inPlaceTakes} and the shapes. */
    static void copyInto(NDArray out, NDArray src) {
        Direct._ZN2at4_ops5copy_4callERNS_6TensorERKS2_b(handle(out), handle(src), false);
    }

    /**
     * @param arrays the arguments of one in-place operation
     * @return whether libtorch's operator runs on them without a C++ exception for anything but overlapping
     *     memory: float32 or float64 CPU arrays of the PyTorch engine, all of one type, and either grad mode off
     *     or none of them requiring a gradient (autograd refuses out= and in-place operations it would have to
     *     record)
     */
    static boolean inPlaceTakes(NDArray... arrays) {
        DataType type = null;
        for (NDArray a : arrays) {
            if (!floating(a) || !a.getDevice().getDeviceType().equals(Device.Type.CPU)
                    || type != null && a.getDataType() != type) {
                return false;
            }
            type = a.getDataType();
        }
        if (JniUtils.isGradMode()) {
            for (NDArray a : arrays) {
                if (requiresGrad(a)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * @return the name of the first in-place operation that disagrees with its definition on small arrays (written
     *     into views of a larger buffer), else null
     */
    private String checkInPlace(NDManager m) {
        NDArray buffer = m.zeros(new Shape(2, 5));
        NDArray out = buffer.get(new NDIndex(":, 1:3")); // (2, 2), row stride 5
        NDArray a = m.create(new float[] {1f, 2f, 3f, -1f, 0f, 2f}, new Shape(2, 3));
        NDArray b = m.create(new float[] {1f, 0f, 0f, 1f, 2f, -1f}, new Shape(3, 2));
        addmm(out, m.create(new float[] {0.5f, -0.5f}), a, b);
        // a·b = [[7, -1], [3, -2]]
        if (!Arrays.equals(buffer.toFloatArray(), new float[] {0f, 7.5f, -1.5f, 0f, 0f, 0f, 3.5f, -2.5f, 0f, 0f})) {
            return "addmm.out";
        }
        NDArray x = m.create(new float[] {0f, -2f, 3f});
        sigmoidInPlace(x);
        float[] s = x.toFloatArray();
        if (s[0] != 0.5f || Math.abs(s[1] - 1 / (1 + Math.exp(2))) > 1e-7 || Math.abs(s[2] - 1 / (1 + Math.exp(-3))) > 1e-7) {
            return "sigmoid_";
        }
        NDArray r = m.create(new float[] {-1f, 0f, 2f});
        reluInPlace(r);
        mulInPlace(r, m.create(new float[] {3f, 3f, -0.5f}));
        if (!Arrays.equals(r.toFloatArray(), new float[] {0f, 0f, -1f})) {
            return "relu_ or mul_";
        }
        copyInto(buffer.get(new NDIndex(":, 4")), m.create(new float[] {9f, 8f}));
        return buffer.get(new NDIndex(":, 4")).toFloatArray()[1] == 8f && buffer.getFloat(0, 4) == 9f ? null : "copy_";
    }

    private static long handle(NDArray x) {
        return ((PtNDArray) x).getHandle();
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
