package io.gen4j.core.kernels;

import ai.djl.ndarray.NDArray;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Operations an engine may run as one fused native call where gen-core composes them from DJL's
 * engine-agnostic API. Each method returns empty when the engine has no such kernel; the caller then
 * uses gen-core's composed arithmetic, which is the default ({@link #composed()}).
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} ({@code
 * META-INF/services/io.gen4j.core.kernels.Kernels}) and chosen per array by engine name
 * ({@link #forArray}). The system property {@value #PROPERTY}{@code =composed} disables every
 * engine implementation (for A/B measurements); unset or {@code auto} uses the one found.
 *
 * <p>What is here, for DJL 0.36's PyTorch engine: its JNI layer exposes a fused per-tensor Adam update,
 * which {@code gen-pytorch} uses; {@code silu}, {@code group_norm}, {@code scaled_dot_product_attention} and
 * the multi-tensor operations ({@code _fused_adam_}, {@code _foreach_zero_}, {@code _foreach_norm},
 * {@code _foreach_mul_}), which DJL does not expose, {@code gen-pytorch} reaches through libtorch's exported
 * operator entry points where it can find them (docs/performance.md). Without them group normalisation runs
 * on libtorch's fused {@code layer_norm} through the public API ({@code io.gen4j.core.nn.GroupNorm}), SiLU
 * is {@code x·σ(x)} and attention is two batched matrix products around a softmax. Linear layers use
 * {@code linear} (addmm) through the public API.
 */
public interface Kernels {

    /** System property choosing the kernels: {@code auto} (default) or {@code composed}. */
    String PROPERTY = "gen4j.kernels";

    /** @return the DJL engine name this implementation serves, e.g. {@code PyTorch} */
    String engineName();

    /** @return a short description for logs and benchmark headers */
    String describe();

    /** @return the engine's fused Adam/AdamW update, or empty to compose it */
    Optional<FusedAdam> fusedAdam();

    /**
     * @return the engine's SiLU {@code x·σ(x)} as one kernel forward and one backward, or empty to compose
     *     it; the operator returns its result in the manager of its argument
     */
    default Optional<UnaryOperator<NDArray>> silu() {
        return Optional.empty();
    }

    /** @return the engine's fused group normalisation, or empty to compose it */
    default Optional<FusedGroupNorm> groupNorm() {
        return Optional.empty();
    }

    /** @return the engine's fused scaled dot-product attention, or empty to compose it */
    default Optional<FusedAttention> attention() {
        return Optional.empty();
    }

    /**
     * @return the engine's operations on whole lists of arrays (optimizer update, zeroing, norms, scaling
     *     of every parameter in one call), or empty to compose them per array
     */
    default Optional<MultiTensorOps> multiTensor() {
        return Optional.empty();
    }

    /**
     * @return the engine's conversions between float32 and bfloat16 (for {@code
     *     io.gen4j.core.runtime.Autocast}), or empty where it has none: autocast then leaves float32 alone
     */
    default Optional<Bfloat16Casts> bfloat16() {
        return Optional.empty();
    }

    /**
     * @return views of an array's memory with chosen strides, or empty where the engine has none: the callers
     *     then compose with reshape, transpose and a copy
     */
    default Optional<StridedViews> stridedViews() {
        return Optional.empty();
    }

    /**
     * @return operations that write into arrays the caller holds; the default is {@link InPlaceOps#composed()},
     *     engines may run them natively (every implementation takes any arrays)
     */
    default InPlaceOps inPlace() {
        return InPlaceOps.composed();
    }

    /**
     * @param x an array of this engine
     * @return whether autograd records operations on x: a leaf marked for a gradient, or (in a {@code
     *     GradientCollector}) the result of an operation on one. The default is DJL's {@code hasGradient()}, which
     *     the PyTorch engine of DJL 0.36 answers true for marked leaves only (false for recorded results);
     *     gen-pytorch asks libtorch. Callers use it to choose between equal computations, never for correctness.
     */
    default boolean requiresGradient(NDArray x) {
        return x.hasGradient();
    }

    /**
     * @param arrays the arguments of an operation (null entries are skipped)
     * @return empty where the engine cannot tell (the default: DJL's API has neither grad mode nor a flag for
     *     recorded results); else whether autograd would record an operation on these arrays, i.e. grad mode is on
     *     and one of them requires a gradient. gen-pytorch answers from libtorch's grad mode and flags. Callers use
     *     it to skip work that only a gradient needs, and must treat empty as "records".
     */
    default Optional<Boolean> recordsGradient(NDArray... arrays) {
        return Optional.empty();
    }

    /** @return gen-core's composed default: no fused kernel at all */
    static Kernels composed() {
        return ComposedKernels.INSTANCE;
    }

    /**
     * @param engineName a DJL engine name
     * @return the registered kernels of that engine, or {@link #composed()} when none is registered
     *     or {@value #PROPERTY} is {@code composed}
     */
    static Kernels forEngine(String engineName) {
        return KernelRegistry.forEngine(engineName);
    }

    /**
     * @param array any array
     * @return the kernels of the array's engine ({@link #forEngine})
     */
    static Kernels forArray(NDArray array) {
        return forEngine(array.getManager().getEngine().getEngineName());
    }
}
