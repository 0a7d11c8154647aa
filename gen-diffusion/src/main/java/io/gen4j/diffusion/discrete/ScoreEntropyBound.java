package io.gen4j.diffusion.discrete;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The likelihood bound of a discrete diffusion (Lou et al. 2024, eq. 10; Campbell et al. 2022):
 *
 * <pre>
 *   −log p_θ(x_0) ≤ ∫_0^1 E_{x_t ~ p_t(·|x_0)} Σ_positions DSE(s_θ(x_t, t), x_t, x_0, t) dt
 *                   + L · KL(p_1(· | x_0) ‖ limit)
 * </pre>
 *
 * estimated with {@code times} stratified times t_k = (k + u_k)/K, one draw of x_t each (unbiased for
 * the integral; the spread shrinks with K). Divided by L·log 2 it is an upper bound on bits per
 * token (per character for character-level text); exp of it per token bounds the perplexity. With
 * the geometric schedule σ̄(0) = σ_min &gt; 0, so it bounds the code length of data noised by that
 * much (negligible for σ_min = 1e−4).
 */
public final class ScoreEntropyBound {

    private ScoreEntropyBound() {}

    /**
     * @param model the diffusion
     * @param x0 clean sequences (N, L)
     * @param times K, at least 1
     * @return the bound of each sequence in nats, length N (−log p ≤ value)
     */
    public static double[] nats(DiscreteDiffusion model, NDArray x0, int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be >= 1, got " + times);
        }
        int n = (int) x0.getShape().get(0);
        long length = x0.getShape().get(1);
        double prior = length * model.process().priorKl(model.noise());
        double[] total = new double[n];
        java.util.Arrays.fill(total, prior);
        float[] u;
        try (NDManager scope = x0.getManager().newSubManager()) {
            u = scope.randomUniform(0f, 1f, new Shape(times), DataType.FLOAT32).toFloatArray();
        }
        for (int k = 0; k < times; k++) {
            double t = Math.max((k + u[k]) / times, 1e-6);
            double[] ts = new double[n];
            double[] survival = new double[n];
            java.util.Arrays.fill(ts, t);
            java.util.Arrays.fill(survival, model.noise().survival(t));
            try (NDManager scope = x0.getManager().newSubManager()) {
                NDArray x = x0.duplicate();
                x.attach(scope);
                NDArray xt = model.process().perturb(Tokens.ids(x), survival);
                NDArray output = model.output(xt, t);
                float[] dse = model.process().scoreEntropy(output, xt, x, ts, model.noise()).sum(new int[] {1})
                        .toType(DataType.FLOAT32, false).toFloatArray();
                for (int i = 0; i < n; i++) {
                    total[i] += dse[i] / times;
                }
            }
        }
        return total;
    }

    /**
     * @param model the diffusion
     * @param x0 clean sequences (N, L)
     * @param times K
     * @return the mean bound in bits per token
     */
    public static double bitsPerToken(DiscreteDiffusion model, NDArray x0, int times) {
        double[] nats = nats(model, x0, times);
        double[] logP = new double[nats.length];
        for (int i = 0; i < nats.length; i++) {
            logP[i] = -nats[i];
        }
        return io.gen4j.core.model.Likelihoods.meanBitsPerDim(logP, x0.getShape().get(1), 1.0);
    }
}
