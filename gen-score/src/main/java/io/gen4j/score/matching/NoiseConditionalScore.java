package io.gen4j.score.matching;

import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.Condition;
import io.gen4j.core.model.Denoiser;
import io.gen4j.score.ScoreFunction;
import io.gen4j.score.sde.DenoiserScores;
import io.gen4j.score.sde.VeSde;

/**
 * Reading a network trained by {@link DenoisingScoreMatching} as a score: s(x, σ) = n(x, log σ)/σ. As a
 * {@link ScoreFunction} its time is the noise level σ; {@link #onVeSde} turns it into the score of
 * the {@link VeSde}'s marginals (s_t = s(·, max(√(σ(t)² − σ_min²), σ_min)), never below the smallest trained level): NCSN is the VE SDE discretised.
 */
public final class NoiseConditionalScore {

    private NoiseConditionalScore() {}

    /**
     * @param network n_θ
     * @return the score with t = σ
     */
    public static ScoreFunction of(Denoiser network) {
        return (x, sigma) -> Scalars.dividedBy(network.predict(x, DenoiserScores.times(x, Math.log(sigma)), Condition.none()), sigma);
    }

    /**
     * @param sigmaScore a score whose time is σ
     * @param sde the VE SDE
     * @return the score in the SDE's time
     */
    public static ScoreFunction onVeSde(ScoreFunction sigmaScore, VeSde sde) {
        return (x, t) -> sigmaScore.score(x, Math.max(sde.marginalStd(t), sde.sigmaMin()));
    }
}
