package io.gen4j.score.matching;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.Condition;
import io.gen4j.core.model.Denoiser;
import io.gen4j.core.model.DenoisingNetwork;
import io.gen4j.core.train.LossTerms;
import io.gen4j.core.train.Objective;
import io.gen4j.core.train.StepContext;
import io.gen4j.score.flow.ProbabilityPath;
import java.util.Map;
import java.util.Objects;

/**
 * Denoising score matching (Vincent 2011) at one or many noise levels (NCSN, Song &amp; Ermon 2019).
 * With x̃ = x + σz, E‖s(x̃) − ∇ log q_σ(x̃ | x)‖² = E‖s(x̃) + z/σ‖² equals the explicit score-matching
 * loss E‖s(x̃) − ∇ log q_σ(x̃)‖² up to a constant, so its minimiser is the score of the perturbed data.
 * With the σ²-weighting λ(σ) = σ² of NCSN and the network parameterised as s_θ(x̃, σ) = n_θ(x̃, log
 * σ)/σ (NCSNv2's output scaling),
 * <pre>
 *   L = E_{σ, x, z} ½ ‖n_θ(x + σz, log σ) + z‖²     (summed over dimensions, mean over the batch)
 * </pre>
 * σ is drawn per example uniformly from the {@link NoiseLevels} or, with {@code continuous},
 * log-uniformly in [σ_min, σ_max] (the VE SDE's training). {@link NoiseConditionalScore} reads the
 * trained network as a score.
 *
 * @param network the network (trained)
 * @param view the network as a denoiser: called with (x̃, log σ)
 * @param levels the noise levels
 * @param continuous draw σ log-uniformly instead of from the levels
 */
public record DenoisingScoreMatching(Block network, DenoisingNetwork view, NoiseLevels levels, boolean continuous)
        implements Objective {

    /** Validates. */
    public DenoisingScoreMatching {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(levels, "levels");
    }

    @Override
    public LossTerms loss(StepContext context, NDList batch) {
        NDArray x = batch.head();
        long n = x.getShape().get(0);
        NDArray sigma;
        if (continuous) {
            double lo = Math.log(levels.sigmaMin());
            double hi = Math.log(levels.sigmaMax());
            sigma = x.getManager().randomUniform((float) lo, (float) Math.max(hi, lo + 1e-6), new Shape(n),
                    DataType.FLOAT32).exp();
        } else {
            NDArray sigmas = x.getManager().create(levels.sigmas()).toType(DataType.FLOAT32, false);
            NDArray index = x.getManager().randomInteger(0, levels.count(), new Shape(n), DataType.INT64);
            sigma = sigmas.get(index);
        }
        NDArray z = x.getManager().randomNormal(0f, 1f, x.getShape(), x.getDataType());
        NDArray loss = loss(view.denoiser(context.parameters(), context.training()), x, z, sigma);
        return new LossTerms(loss, Map.of("sigmaMean", sigma.mean()));
    }

    /**
     * The loss for given draws.
     *
     * @param network n_θ, called with (x̃, log σ); its optimum is −E[z | x̃] = σ ∇ log q_σ(x̃)
     * @param x data, shape (N, ...)
     * @param z noise, same shape
     * @param sigma σ per example, shape (N)
     * @return ½ E‖n(x + σz, log σ) + z‖², a scalar
     */
    public static NDArray loss(Denoiser network, NDArray x, NDArray z, NDArray sigma) {
        NDArray s = ProbabilityPath.broadcast(sigma, x);
        NDArray noisy = x.add(z.mul(s));
        NDArray out = network.predict(noisy, sigma.log(), Condition.none());
        long n = x.getShape().get(0);
        return Scalars.times(out.add(z).reshape(n, -1).square().sum(new int[] {1}).mean(), 0.5);
    }
}
