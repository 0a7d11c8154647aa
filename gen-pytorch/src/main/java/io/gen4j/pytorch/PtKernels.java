package io.gen4j.pytorch;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.gen4j.core.kernels.AdamUpdate;
import io.gen4j.core.kernels.Bfloat16Casts;
import io.gen4j.core.kernels.FusedAdam;
import io.gen4j.core.kernels.FusedAttention;
import io.gen4j.core.kernels.FusedGroupNorm;
import io.gen4j.core.kernels.InPlaceOps;
import io.gen4j.core.kernels.Kernels;
import io.gen4j.core.kernels.MultiTensorOps;
import io.gen4j.core.kernels.StridedViews;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The fused kernels DJL 0.36's PyTorch engine exposes beyond its public API, registered for
 * {@link java.util.ServiceLoader}.
 *
 * <p>Adam/AdamW: {@code JniUtils.adamUpdate}, one JNI call per parameter that runs the moment
 * updates and the step as in-place libtorch operations, against about 12 DJL operations (each its own
 * JNI call, Java wrapper and manager bookkeeping) composed by {@code io.gen4j.core.train.Adam}. DJL's
 * kernel computes {@code w −= lr_c · m / (√v + ε')}; with {@code lr_c = lr · √(1 − β2^t) / (1 − β1^t)}
 * and {@code ε' = ε · √(1 − β2^t)} this is exactly PyTorch's {@code lr / (1 − β1^t) · m / (√v /
 * √(1 − β2^t) + ε)}, the composed form. Its gradient rescale is 1 and its clipping is off (DJL's clip
 * only bounds from above; gen4j clips by global norm before the update).
 *
 * <p>SiLU and group normalisation: DJL 0.36 does not expose them; {@link AtenOps} calls libtorch's own
 * operators through their exported entry points where it can (Linux x86-64), else they stay composed.
 *
 * <p>Multi-tensor operations ({@link MultiTensorOps}): libtorch's {@code _fused_adam_}/{@code _fused_adamw_}
 * (the kernels of {@code torch.optim.Adam(fused=True)}), {@code _foreach_zero_}, {@code _foreach_norm},
 * {@code _foreach_mul_} and {@code _foreach_lerp_} through {@link AtenOps}, for lists of contiguous
 * float32/float64 CPU arrays; other lists (and other devices) are declined, and the optimizer updates them one
 * by one with the kernel above (the clipping and the moving average compose them).
 *
 * <p>Attention: libtorch's {@code scaled_dot_product_attention} through {@link AtenOps} (float32/float64 on
 * the CPU, with an additive mask), else composed.
 *
 * <p>bfloat16: libtorch's {@code to_dtype} through {@link AtenOps} converts CPU float32 arrays to bfloat16 and
 * back, for {@code io.gen4j.core.runtime.Autocast}.
 */
public final class PtKernels implements Kernels {

    /** The engine name DJL's PyTorch engine reports. */
    public static final String ENGINE = "PyTorch";

    private static final FusedAdam ADAM = PtKernels::adam;

    @Override
    public String engineName() {
        return ENGINE;
    }

    @Override
    public String describe() {
        return AtenOps.get().isPresent()
                ? "gen-pytorch (fused Adam/AdamW update; silu, group_norm, scaled_dot_product_attention, multi-tensor"
                        + " Adam/AdamW, zero, norm, scale and lerp, bfloat16 casts, strided views, in-place addmm/sigmoid/relu/mul/copy"
                        + " through libtorch's operator entry points)"
                : "gen-pytorch (fused Adam/AdamW update)";
    }

    @Override
    public Optional<FusedAdam> fusedAdam() {
        return Optional.of(ADAM);
    }

    @Override
    public Optional<UnaryOperator<NDArray>> silu() {
        return Aten.SILU;
    }

    @Override
    public Optional<FusedGroupNorm> groupNorm() {
        return Aten.GROUP_NORM;
    }

    @Override
    public Optional<FusedAttention> attention() {
        return Aten.ATTENTION;
    }

    @Override
    public Optional<MultiTensorOps> multiTensor() {
        return Aten.MULTI_TENSOR;
    }

    @Override
    public Optional<Bfloat16Casts> bfloat16() {
        return Aten.BFLOAT16;
    }

    @Override
    public Optional<StridedViews> stridedViews() {
        return Aten.VIEWS;
    }

    /** libtorch's {@code addmm.out}, {@code sigmoid_}, {@code relu_}, {@code mul_} and {@code copy_} where reachable. */
    @Override
    public InPlaceOps inPlace() {
        return Aten.IN_PLACE.orElse(InPlaceOps.composed());
    }

    /**
     * libtorch's own flag through {@link AtenOps} where it is reachable: DJL 0.36's {@code hasGradient()} answers
     * false for an operation's result that autograd records (its JNI flag, measured), true only for marked leaves.
     */
    @Override
    public boolean requiresGradient(NDArray x) {
        return x instanceof PtNDArray && AtenOps.get().isPresent() ? AtenOps.requiresGrad(x) : x.hasGradient();
    }

    /** libtorch's grad mode (per thread) and its flags through {@link AtenOps}; empty where it is unreachable. */
    @Override
    public Optional<Boolean> recordsGradient(NDArray... arrays) {
        if (AtenOps.get().isEmpty()) {
            return Optional.empty();
        }
        if (!JniUtils.isGradMode()) {
            return Optional.of(false);
        }
        for (NDArray a : arrays) {
            if (a != null && (!(a instanceof PtNDArray) || AtenOps.requiresGrad(a))) {
                return Optional.of(true);
            }
        }
        return Optional.of(false);
    }

    /**
     * The operators through {@link AtenOps}, built once, when first asked for (by then an array of the engine
     * exists, so libtorch is loaded): these are called for every activation and normalisation.
     */
    private static final class Aten {
        static final Optional<UnaryOperator<NDArray>> SILU = AtenOps.get().map(ops -> x -> AtenOps.floating(x)
                ? ops.silu(x) : x.mul(x.getNDArrayInternal().sigmoid()));
        static final Optional<FusedGroupNorm> GROUP_NORM = AtenOps.get().map(ops -> (x, groups, gamma, beta, epsilon) ->
                !AtenOps.groupNormTakes(x, groups, gamma, beta) ? null
                        : ChannelsLastGroupNorm.takes(x, groups)
                                ? ChannelsLastGroupNorm.apply(x, groups, gamma, beta, epsilon)
                                : ops.groupNorm(x, groups, gamma, beta, epsilon));
        static final Optional<FusedAttention> ATTENTION = AtenOps.get().map(ops -> (q, k, v, bias) ->
                AtenOps.attentionTakes(q, k, v, bias) ? ops.attention(q, k, v, bias) : null);
        static final Optional<MultiTensorOps> MULTI_TENSOR = AtenOps.get().map(Lists::new);
        static final Optional<Bfloat16Casts> BFLOAT16 = AtenOps.get().map(Casts::new);
        static final Optional<StridedViews> VIEWS = AtenOps.get().map(Views::new);
        static final Optional<InPlaceOps> IN_PLACE = AtenOps.get().map(ops -> new InPlace());

        private Aten() {}
    }

    /** float32 ↔ bfloat16 through libtorch's {@code to_dtype}, on CPU float32 arrays. */
    private static final class Casts implements Bfloat16Casts {
        private final AtenOps ops;

        Casts(AtenOps ops) {
            this.ops = ops;
        }

        @Override
        public NDArray toBfloat16(NDArray x, NDManager manager) {
            if (!takes(x)) {
                throw new IllegalArgumentException("expected a float32 CPU array of the PyTorch engine, got "
                        + x.getDataType() + " on " + x.getDevice());
            }
            return ops.toBfloat16(x, manager);
        }

        @Override
        public NDArray toFloat32(NDArray x, NDManager manager) {
            return ops.toFloat32(x, manager);
        }

        @Override
        public boolean takes(NDArray x) {
            return x instanceof PtNDArray && x.getDataType() == DataType.FLOAT32
                    && x.getDevice().getDeviceType().equals(Device.Type.CPU);
        }
    }

    /**
     * The in-place operations through {@link AtenOps} on the arrays it takes ({@link AtenOps#inPlaceTakes}, checked
     * per call: one JNI call for grad mode, Java fields otherwise), else composed.
     */
    private static final class InPlace implements InPlaceOps {
        private static final InPlaceOps COMPOSED = InPlaceOps.composed();

        @Override
        public boolean takes(NDArray... arrays) {
            return AtenOps.inPlaceTakes(arrays);
        }

        @Override
        public void addmm(NDArray out, NDArray addend, NDArray a, NDArray b) {
            InPlaceOps.checkAddmm(out, addend, a, b);
            if (AtenOps.inPlaceTakes(out, addend, a, b)) {
                AtenOps.addmm(out, addend, a, b);
            } else {
                COMPOSED.addmm(out, addend, a, b);
            }
        }

        @Override
        public void sigmoid(NDArray x) {
            if (AtenOps.inPlaceTakes(x)) {
                AtenOps.sigmoidInPlace(x);
            } else {
                COMPOSED.sigmoid(x);
            }
        }

        @Override
        public void relu(NDArray x) {
            if (AtenOps.inPlaceTakes(x)) {
                AtenOps.reluInPlace(x);
            } else {
                COMPOSED.relu(x);
            }
        }

        @Override
        public void mul(NDArray x, NDArray y) {
            InPlaceOps.checkSameShape("mul", x, y);
            if (AtenOps.inPlaceTakes(x, y)) {
                AtenOps.mulInPlace(x, y);
            } else {
                COMPOSED.mul(x, y);
            }
        }

        @Override
        public void copy(NDArray out, NDArray src) {
            InPlaceOps.checkSameShape("copy", out, src);
            if (AtenOps.inPlaceTakes(out, src)) {
                AtenOps.copyInto(out, src);
            } else {
                COMPOSED.copy(out, src);
            }
        }

        @Override
        public String toString() {
            return "libtorch in-place operations (addmm.out, sigmoid_, relu_, mul_, copy_)";
        }
    }

    /** {@code as_strided} through {@link AtenOps}, on dense arrays and inside their elements. */
    private static final class Views implements StridedViews {
        private final AtenOps ops;

        Views(AtenOps ops) {
            this.ops = ops;
        }

        @Override
        public boolean takes(NDArray x) {
            // the types and device the self-check covers
            return AtenOps.floating(x) && x.getDevice().getDeviceType().equals(Device.Type.CPU);
        }

        @Override
        public long[] denseStrides(NDArray x) {
            return takes(x) ? AtenOps.denseStrides(x) : null;
        }

        @Override
        public NDArray view(NDArray x, long[] size, long[] stride) {
            if (!takes(x)) {
                throw new IllegalArgumentException("expected a float32 or float64 CPU array of the PyTorch engine, got "
                        + x.getDataType() + " on " + x.getDevice());
            }
            String refusal = AtenOps.viewRefusal(x, size, stride);
            if (refusal != null) {
                throw new IllegalArgumentException(refusal);
            }
            return ops.asStrided(x, size, stride);
        }
    }

    /** The multi-tensor operations through {@link AtenOps}, on the lists it takes. */
    private static final class Lists implements MultiTensorOps {
        private final AtenOps ops;

        Lists(AtenOps ops) {
            this.ops = ops;
        }

        @Override
        public boolean adam(List<NDArray> weights, List<NDArray> grads, List<NDArray> m, List<NDArray> v,
                AdamUpdate update) {
            if (!AtenOps.adamTakes(weights, grads, m, v, update)) {
                return false;
            }
            ops.adam(weights, grads, m, v, update);
            return true;
        }

        @Override
        public boolean zero(List<NDArray> arrays) {
            if (!AtenOps.listTakes(arrays)) {
                return false;
            }
            ops.zero(arrays);
            return true;
        }

        @Override
        public NDList norms(List<NDArray> arrays) {
            return AtenOps.listTakes(arrays) ? ops.norms(arrays) : null;
        }

        @Override
        public boolean lerp(List<NDArray> arrays, List<NDArray> ends, double weight) {
            if (!AtenOps.lerpTakes(arrays, ends, weight)) {
                return false;
            }
            ops.lerp(arrays, ends, weight);
            return true;
        }

        @Override
        public boolean scale(List<NDArray> arrays, NDArray factor) {
            if (!AtenOps.listTakes(arrays) || !AtenOps.floating(factor)
                    || factor.getDataType() != arrays.get(0).getDataType()
                    || !factor.getDevice().equals(arrays.get(0).getDevice()) || factor.getShape().dimension() != 0) {
                return false;
            }
            ops.scale(arrays, factor);
            return true;
        }
    }

    private static void adam(NDArray weight, NDArray grad, NDArray m, NDArray v, AdamUpdate u) {
        double sqrtC2 = u.sqrtBiasCorrection2();
        float lrCorrected = (float) (u.learningRate() * sqrtC2 / u.biasCorrection1());
        float epsilon = (float) (u.epsilon() * sqrtC2);
        JniUtils.adamUpdate(pt(weight, "weight"), pt(grad, "grad"), pt(m, "m"), pt(v, "v"),
                u.learningRate(), lrCorrected, (float) u.weightDecay(), 1f, -1f,
                (float) u.beta1(), (float) u.beta2(), epsilon, u.decoupled());
    }

    private static PtNDArray pt(NDArray a, String name) {
        if (a instanceof PtNDArray p) {
            return p;
        }
        throw new IllegalArgumentException(
                name + " must be an array of the PyTorch engine, got " + a.getClass().getName());
    }

    @Override
    public String toString() {
        return describe();
    }
}
