package io.gen4j.score.langevin;

import ai.djl.ndarray.NDArray;
import io.gen4j.core.math.Scalars;
import io.gen4j.score.SamplingResult;
import io.gen4j.score.ScoreFunction;
import io.gen4j.score.StepLoop;

/**
 * Annealed Langevin dynamics (Song &amp; Ermon 2019, Alg. 1): T Langevin steps at each noise level σ_1
 * &gt; … &gt; σ_L with the noise-conditional score s(x, σ_i) and the step size
 * <pre>
 *   α_i = ε σ_i² / σ_L²
 * </pre>
 * which keeps the signal-to-noise ratio of every update the same across levels. The score's time is σ
 * ({@link io.gen4j.score.matching.NoiseConditionalScore}). With {@code denoise}, a final step x ← x +
 * σ_L² s(x, σ_L) removes the last level's noise (Tweedie; NCSNv2, Jolicoeur-Martineau et al. 2021).
 *
 * @param sigmas σ_1 … σ_L, decreasing
 * @param stepsPerLevel T ≥ 1
 * @param epsilon ε &gt; 0 (the step size at the smallest level)
 * @param denoise whether to add the final denoising step
 */
public record AnnealedLangevinDynamics(double[] sigmas, int stepsPerLevel, double epsilon, boolean denoise) {

    /** Validates and copies. */
    public AnnealedLangevinDynamics {
        if (sigmas == null || sigmas.length == 0 || stepsPerLevel < 1 || !(epsilon > 0)) {
            throw new IllegalArgumentException("need at least one sigma, stepsPerLevel >= 1 and epsilon > 0");
        }
        sigmas = sigmas.clone();
        for (int i = 1; i < sigmas.length; i++) {
            if (!(sigmas[i] < sigmas[i - 1])) {
                throw new IllegalArgumentException("sigmas must decrease, got " + java.util.Arrays.toString(sigmas));
            }
        }
    }

    /** @return a copy of the levels */
    @Override
    public double[] sigmas() {
        return sigmas.clone();
    }

    /**
     * @param score the noise-conditional score, time = σ
     * @param x0 the start (uniform or Gaussian noise), not modified
     * @param keepTrajectory whether to keep every state
     * @return the samples, in the manager of {@code x0}
     */
    public SamplingResult run(ScoreFunction score, NDArray x0, boolean keepTrajectory) {
        int total = sigmas.length * stepsPerLevel + (denoise ? 1 : 0);
        double last = sigmas[sigmas.length - 1];
        return StepLoop.run(x0, total, 1, keepTrajectory, (x, i) -> {
            if (i == sigmas.length * stepsPerLevel) {
                return x.add(Scalars.times(score.score(x, last), last * last));
            }
            double sigma = sigmas[i / stepsPerLevel];
            return LangevinDynamics.step(score, x, sigma, epsilon * sigma * sigma / (last * last));
        });
    }
}
