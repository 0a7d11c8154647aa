package io.gen4j.diffusion.discrete;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.Likelihoods;
import io.gen4j.core.train.LossTerms;
import io.gen4j.core.train.Objective;
import io.gen4j.core.train.StepContext;
import java.util.Map;

/**
 * The SEDD training objective (Lou et al. 2024, eq. 9 and Algorithm 1) as a gen-core {@link
 * Objective}: for a batch of clean sequences x_0 (N, L),
 *
 * <pre>
 *   t ~ U(t_min, 1),   x_t ~ p_t(· | x_0),   loss = mean_n (1/L) Σ_positions DSE(ℓ_θ(x_t, t), x_t, x_0, t)
 * </pre>
 *
 * <p>The times of a batch are stratified (example i of n draws from the i-th of n equal parts of
 * [t_min, 1), the "low-discrepancy" sampler of Kingma et al. 2021 and MDLM): each time is still
 * uniform, the estimate unbiased, and its variance lower — the 1/t weight of the absorbing process
 * makes the few small times of a batch dominate it.
 *
 * with the σ(t)-weighted denoising score entropy of {@link DiscreteProcess#scoreEntropy}. Its
 * expectation is the diffusion part of the negative ELBO per token (over t in [t_min, 1]; t_min =
 * 1e−3 as in the reference code keeps the variance down), in nats; the log also gets it in bits
 * ({@code bitsPerToken}). Randomness comes from the engine, so runs resume bit-exactly.
 *
 * @param network the bidirectional, time-conditioned transformer
 * @param process the forward process
 * @param noise the schedule
 * @param tMin the smallest training time, in [0, 1)
 */
public record ScoreEntropyObjective(TokenTransformer network, DiscreteProcess process, NoiseLevel noise, double tMin)
        implements Objective {

    /** Validates. */
    public ScoreEntropyObjective {
        if (network == null || process == null || noise == null) {
            throw new IllegalArgumentException("network, process and noise must not be null");
        }
        if (!(tMin >= 0 && tMin < 1)) {
            throw new IllegalArgumentException("tMin must be in [0, 1), got " + tMin);
        }
    }

    @Override
    public LossTerms loss(StepContext context, NDList batch) {
        NDArray x0 = Tokens.ids(batch.head());
        long n = x0.getShape().get(0);
        long length = x0.getShape().get(1);
        float[] u = x0.getManager().randomUniform(0f, 1f, new Shape(n), DataType.FLOAT32).toFloatArray();
        double[] t = new double[(int) n];
        double[] survival = new double[(int) n];
        for (int i = 0; i < n; i++) {
            // stratified over the batch: example i gets a time in the i-th of n equal strata (still
            // uniform on [t_min, 1) for each example, but the batch covers [t_min, 1) evenly)
            t[i] = tMin + (1 - tMin) * (i + u[i]) / n;
            survival[i] = noise.survival(t[i]);
        }
        NDArray xt = process.perturb(x0, survival);
        NDArray times = Tokens.column(x0.getManager(), t).reshape(n);
        NDArray output = network.forward(context.parameters(), new NDList(xt, times), context.training()).head();
        NDArray perToken = Scalars.dividedBy(process.scoreEntropy(output, xt, x0, t, noise).sum(new int[] {1}).mean(), length);
        return new LossTerms(perToken, Map.of("bitsPerToken", Likelihoods.bitsPerDim(perToken.neg(), 1, 1.0)));
    }
}
