package io.gen4j.flows;

import ai.djl.nn.Block;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Makes the coupling layers of a {@link RealNvp} flow. RealNvp decides where the couplings go, which
 * mask each one uses and how many channels it sees; the factory decides what a coupling is. Pass
 * your own to {@link RealNvp#vector(RealNvp.VectorConfig, CouplingFactory)} or {@link
 * RealNvp#image(RealNvp.ImageConfig, CouplingFactory)} to try another coupling (a spline, a mixture
 * of logistics, another conditioner) without editing gen-flows:
 *
 * <pre>
 *   NormalizingFlow nice = RealNvp.vector(config, CouplingFactory.additiveMlp(64, 2));
 *   NormalizingFlow mine = RealNvp.vector(config,
 *           (mask, flipped, dims, index) -&gt; new AffineCoupling(mask, flipped, myConditioner(dims)));
 * </pre>
 *
 * <p>A coupling must keep its input's shape and meet the transform contract of {@link FlowTransform}:
 * check yours with {@code io.gen4j.flows.testing.FlowTransformChecks.assertContract} from gen-flows'
 * test-jar (inverse(forward(x)) = x, log-dets that cancel, and the log-det against a brute-force
 * Jacobian; docs/extending.md). The default is the affine coupling of RealNVP ({@link
 * #affineMlp}, {@link #affineResidual}); {@link #additiveMlp} and {@link #additiveResidual} give
 * NICE's volume-preserving additive coupling.
 */
@FunctionalInterface
public interface CouplingFactory {

    /**
     * Makes one coupling layer.
     *
     * @param mask which coordinates the coupling leaves unchanged and conditions on
     * @param flipped whether that mask is flipped (b ↦ 1 − b); consecutive couplings alternate
     * @param channels C of the coupling's input: D for vectors (N, D); for images (N, C, H, W) the
     *     channels at that scale (the data's C, 4C after a squeeze, …)
     * @param index the coupling's position in the flow, 0, 1, 2, … in the data → latent direction
     * @return an uninitialised transform that keeps the shape of its input
     */
    FlowTransform create(CouplingMask mask, boolean flipped, int channels, int index);

    /**
     * Affine couplings (RealNVP) with the given conditioner.
     *
     * @param conditioner C ↦ an uninitialised net (N, C, ...) → (N, 2C, ...), e.g. {@code c ->
     *     CouplingNets.mlp(c, 64, 2)}
     * @return the factory
     */
    static CouplingFactory affine(IntFunction<? extends Block> conditioner) {
        Objects.requireNonNull(conditioner, "conditioner");
        return (mask, flipped, channels, index) -> new AffineCoupling(mask, flipped, conditioner.apply(channels));
    }

    /**
     * Affine couplings with {@link CouplingNets#mlp} conditioners: {@link RealNvp}'s default for
     * vectors.
     *
     * @param hidden width of each hidden layer, at least 1
     * @param layers hidden layers, at least 1
     * @return the factory
     */
    static CouplingFactory affineMlp(int hidden, int layers) {
        requirePositive(hidden, layers);
        return affine(dims -> CouplingNets.mlp(dims, hidden, layers));
    }

    /**
     * Affine couplings with {@link CouplingNets#residual} conditioners: {@link RealNvp}'s default for
     * images.
     *
     * @param hidden hidden channels, a multiple of {@code groups}
     * @param blocks residual blocks, at least 1
     * @param groups GroupNorm groups, at least 1
     * @return the factory
     */
    static CouplingFactory affineResidual(int hidden, int blocks, int groups) {
        return affine(c -> CouplingNets.residual(c, hidden, blocks, groups));
    }

    /**
     * Additive couplings (NICE) with the given conditioner.
     *
     * @param conditioner C ↦ an uninitialised net (N, C, ...) → (N, C, ...), e.g. {@code c ->
     *     CouplingNets.shiftMlp(c, 64, 2)}
     * @return the factory
     */
    static CouplingFactory additive(IntFunction<? extends Block> conditioner) {
        Objects.requireNonNull(conditioner, "conditioner");
        return (mask, flipped, channels, index) -> new AdditiveCoupling(mask, flipped, conditioner.apply(channels));
    }

    /**
     * Additive couplings with {@link CouplingNets#shiftMlp} conditioners, for vectors.
     *
     * @param hidden width of each hidden layer, at least 1
     * @param layers hidden layers, at least 1
     * @return the factory
     */
    static CouplingFactory additiveMlp(int hidden, int layers) {
        requirePositive(hidden, layers);
        return additive(dims -> CouplingNets.shiftMlp(dims, hidden, layers));
    }

    /**
     * Additive couplings with {@link CouplingNets#shiftResidual} conditioners, for images.
     *
     * @param hidden hidden channels, a multiple of {@code groups}
     * @param blocks residual blocks, at least 1
     * @param groups GroupNorm groups, at least 1
     * @return the factory
     */
    static CouplingFactory additiveResidual(int hidden, int blocks, int groups) {
        return additive(c -> CouplingNets.shiftResidual(c, hidden, blocks, groups));
    }

    private static void requirePositive(int hidden, int layers) {
        if (hidden < 1 || layers < 1) {
            throw new IllegalArgumentException("hidden and layers must be >= 1, got " + hidden + ", " + layers);
        }
    }
}
