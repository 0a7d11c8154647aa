package io.gen4j.score.ebm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.train.Gradients;
import io.gen4j.core.train.LossTerms;
import io.gen4j.core.train.Objective;
import io.gen4j.core.train.StepContext;
import io.gen4j.score.ScoreFunction;
import java.util.Map;
import java.util.Objects;

/**
 * Maximum likelihood for an energy-based model by (persistent) contrastive divergence with short-run
 * Langevin chains and a replay buffer (Du &amp; Mordatch 2019). The gradient of the NLL is E_data[∇θE]
 * − E_model[∇θE]; the model expectation uses chain ends x⁻ from {@link #prepare} (K steps of x ← x −
 * λ∇ₓE(x) + σ_noise z from buffer points, clipped to the buffer's box), so
 * <pre>
 *   L = mean E(x⁺) − mean E(x⁻) + α (mean E(x⁺)² + mean E(x⁻)²)
 * </pre>
 * with the energy-magnitude regulariser α of the paper. The chains run in {@code prepare}, before the
 * training pass opens its gradient collector; the gradients they leave on the parameters are zeroed.
 *
 * @param energy E: (N, D) → (N, 1)
 * @param buffer the replay buffer (register it as a training state part)
 * @param chainSteps K ≥ 1
 * @param stepSize λ &gt; 0
 * @param noise σ_noise ≥ 0
 * @param regularization α ≥ 0
 */
public record ContrastiveDivergence(Block energy, ReplayBuffer buffer, int chainSteps, double stepSize,
        double noise, double regularization) implements Objective {

    /** Validates. */
    public ContrastiveDivergence {
        Objects.requireNonNull(energy, "energy");
        Objects.requireNonNull(buffer, "buffer");
        if (chainSteps < 1 || !(stepSize > 0) || !(noise >= 0) || !(regularization >= 0)) {
            throw new IllegalArgumentException("need chainSteps >= 1, stepSize > 0, noise >= 0, regularization >= 0");
        }
    }

    @Override
    public Block network() {
        return energy;
    }

    @Override
    public NDList prepare(StepContext context, NDList batch) {
        NDArray x = batch.head();
        NDArray negatives = buffer.draw(x.getManager(), (int) x.getShape().get(0));
        negatives = chain(EnergyScore.of(energy, context.parameters()), negatives, chainSteps, stepSize, noise);
        buffer.push(negatives);
        Gradients.zero(energy);
        return new NDList(x, negatives);
    }

    /**
     * Short-run chain x ← x + λ s(x) + σ z (s = −∇E), K times.
     *
     * @param score −∇E
     * @param x start
     * @param steps K
     * @param stepSize λ
     * @param noise σ
     * @return the chain end, in the manager of {@code x}
     */
    public static NDArray chain(ScoreFunction score, NDArray x, int steps, double stepSize, double noise) {
        NDArray y = x;
        for (int k = 0; k < steps; k++) {
            NDArray z = y.getManager().randomNormal(0f, 1f, y.getShape(), y.getDataType());
            y = y.add(Scalars.times(score.score(y, 0), stepSize)).add(Scalars.times(z, noise));
        }
        return y;
    }

    @Override
    public LossTerms loss(StepContext context, NDList batch) {
        ParameterStore ps = context.parameters();
        NDArray positive = energy.forward(ps, new NDList(batch.get(0)), context.training()).head();
        NDArray negative = energy.forward(ps, new NDList(batch.get(1)), context.training()).head();
        NDArray ePos = positive.mean();
        NDArray eNeg = negative.mean();
        NDArray loss = ePos.sub(eNeg)
                .add(Scalars.times(positive.square().mean().add(negative.square().mean()), regularization));
        return new LossTerms(loss, Map.of("energyData", ePos, "energyModel", eNeg));
    }
}
