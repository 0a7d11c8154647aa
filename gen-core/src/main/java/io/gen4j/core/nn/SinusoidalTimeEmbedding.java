package io.gen4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.gen4j.core.math.Scalars;

/**
 * The transformer's sinusoidal position encoding applied to (diffusion) time, as in DDPM (Ho et al.
 * 2020) and the Transformer (Vaswani et al. 2017):
 *
 * <pre>
 *   e(t)_i = sin(t · ω_i),  e(t)_{i + d/2} = cos(t · ω_i),  ω_i = P^(−i/(d/2)),  i = 0 … d/2 − 1
 * </pre>
 *
 * <p>with maximum period P = 10000. Input t of shape (N) (a step index or a scaled continuous time);
 * output (N, d). No parameters: DDPM follows it with an {@link Mlp}.
 */
public class SinusoidalTimeEmbedding extends AbstractBlock {

    private final int dim;
    private final double maxPeriod;

    /**
     * @param dim embedding size d, even and at least 2
     * @param maxPeriod the longest period P (10000 in DDPM)
     */
    public SinusoidalTimeEmbedding(int dim, double maxPeriod) {
        if (dim < 2 || dim % 2 != 0) {
            throw new IllegalArgumentException("dim must be even and >= 2, got " + dim);
        }
        if (!(maxPeriod > 1)) {
            throw new IllegalArgumentException("maxPeriod must be > 1, got " + maxPeriod);
        }
        this.dim = dim;
        this.maxPeriod = maxPeriod;
    }

    /**
     * The functional twin.
     *
     * @param t times, shape (N)
     * @param dim embedding size (even)
     * @param maxPeriod the longest period
     * @return (N, dim), float32 unless {@code t} is float64, in the manager of {@code t}
     */
    public static NDArray embed(NDArray t, int dim, double maxPeriod) {
        int half = dim / 2;
        DataType type = t.getDataType() == DataType.FLOAT64 ? DataType.FLOAT64 : DataType.FLOAT32;
        NDArray tt = t.toType(type, false).reshape(-1, 1);
        NDArray freqs = Scalars.times(t.getManager().arange(0, half, 1, type), -Math.log(maxPeriod) / half).exp().reshape(1, half);
        NDArray args = tt.mul(freqs);
        return args.sin().concat(args.cos(), 1);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(embed(inputs.head(), dim, maxPeriod));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), dim)};
    }
}
