package io.gen4j.flows;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import io.gen4j.core.math.Scalars;

/**
 * Uniform dequantization (Theis et al. 2016; RealNVP §4.1): turns 8-bit pixels into continuous
 * values so that a density model's likelihood is a bound on the discrete one, not an unbounded
 * spike on the 256 grid points.
 *
 * <pre>
 *   forward:  k = round(255 x) ∈ {0, …, 255},   u ~ U[0, 1)^D,   y = (k + u) / 256 ∈ [0, 1)^D
 *             log|det| = −D · log 256
 *   inverse:  k = clip(⌊256 y⌋, 0, 255),         x = k / 255,      log|det| = +D · log 256
 * </pre>
 *
 * <p>The −D·log 256 is the volume change from unit bins to bins of width 1/256, so that
 * {@code log p(y) − D·log 256} lower-bounds (Jensen, over u) the log-probability of the discrete
 * image; bits/dim computed from the flow's log-likelihood are then honest. Input x holds pixel
 * values k/255 in [0, 1]. The map is stochastic: {@code inverse(forward(x)) = x} holds for
 * quantised inputs, but it has no Jacobian to brute-force.
 */
public class UniformDequantization extends FlowTransform {

    private static final byte VERSION = 1;
    private static final double LOG_256 = Math.log(256);

    /** Creates the parameter-free dequantizer for 8-bit data. */
    public UniformDequantization() {
        super(VERSION);
    }

    private static NDArray constantLogDet(NDArray x, double perDim) {
        long d = x.getShape().slice(1).size();
        return zeroLogDet(x).add(perDim * d);
    }

    @Override
    public Transformed forward(ParameterStore ps, NDArray x, boolean training) {
        NDArray k = Scalars.times(x, 255).round();
        NDArray u = x.getManager().randomUniform(0, 1, x.getShape(), x.getDataType());
        NDArray y = Scalars.dividedBy(k.add(u), 256);
        return new Transformed(y, constantLogDet(x, -LOG_256));
    }

    @Override
    public Transformed inverse(ParameterStore ps, NDArray y, boolean training) {
        NDArray k = Scalars.clip(Scalars.times(y, 256).floor(), 0, 255);
        return new Transformed(Scalars.dividedBy(k, 255), constantLogDet(y, LOG_256));
    }
}
