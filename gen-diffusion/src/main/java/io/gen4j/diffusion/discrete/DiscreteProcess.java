package io.gen4j.diffusion.discrete;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The forward process of a discrete diffusion: a continuous-time Markov chain on each token of a
 * sequence independently, with rate matrix σ(t)·Q (Lou et al. 2024, §2; Campbell et al. 2022),
 *
 * <pre>
 *   d p_t / dt = p_t · σ(t) Q,   p_t(x_t | x_0) = [exp(σ̄(t) Q)](x_0, x_t)
 * </pre>
 *
 * <p>with Q[i][j] ≥ 0 the rate of a jump i → j (i ≠ j) and rows summing to 0. A network gives an
 * output ℓ(x_t, t) of shape (N, L, {@link #states()}) per position; the process reads it as the
 * concrete score s(x_t)_y ≈ p_t(x_t with one token changed to y) / p_t(x_t) (its own
 * parameterisation, documented by each implementation), and provides everything that depends on Q:
 * the noising of data, the score entropy, the reverse steps of the samplers and the prior term of
 * the bound. The two processes of SEDD are {@link UniformProcess} and {@link AbsorbingProcess}.
 *
 * <p>Tokens are arrays of an integer type (INT64 preferred) of shape (N, L). Per-example times
 * arrive as Java doubles (the coefficients are computed in double precision and broadcast).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = UniformProcess.class, name = "uniform"),
    @JsonSubTypes.Type(value = AbsorbingProcess.class, name = "absorbing")
})
public sealed interface DiscreteProcess permits UniformProcess, AbsorbingProcess {

    /** @return N, the number of real tokens (the vocabulary) */
    int tokens();

    /** @return the number of states of the chain: N, or N + 1 with a mask */
    int states();

    /** @return Q, states × states, Q[i][j] the rate of i → j, rows summing to 0 */
    double[][] rateMatrix();

    /**
     * The closed form of exp(σ̄ Q).
     *
     * @param sigmaBar the total noise σ̄ &gt;= 0 (may be +∞)
     * @return P[i][j] = p(x_t = j | x_0 = i)
     */
    double[][] transition(double sigmaBar);

    /**
     * Draws x_t ~ p_t(· | x_0) position by position.
     *
     * @param x0 clean tokens (N, L)
     * @param survival e^{−σ̄(t)} of each example, length N
     * @return x_t, INT64 (N, L), in the manager of x0
     */
    NDArray perturb(NDArray x0, double[] survival);

    /**
     * @param manager the manager of the result
     * @param n sequences
     * @param length tokens per sequence
     * @return draws from the limit of the chain (the start of sampling), INT64 (n, length)
     */
    NDArray limit(NDManager manager, long n, long length);

    /**
     * The denoising score entropy of each position, weighted by σ(t) (Lou et al. 2024, eq. 9):
     *
     * <pre>
     *   σ(t) Σ_{y ≠ x_t} Q(y, x_t) [ s_y − r_y log s_y + K(r_y) ],   r_y = p_t(y | x_0) / p_t(x_t | x_0),
     *   K(a) = a (log a − 1)
     * </pre>
     *
     * which is ≥ 0 and 0 exactly when s = r. Its mean over t ~ U(0, 1) and x_t is the diffusion part of
     * the negative ELBO.
     *
     * @param output the network output ℓ (N, L, states)
     * @param xt noised tokens (N, L)
     * @param x0 clean tokens (N, L)
     * @param t the time of each example, in (0, 1)
     * @param noise the schedule
     * @return (N, L), in nats, in the manager of {@code output}
     */
    NDArray scoreEntropy(NDArray output, NDArray xt, NDArray x0, double[] t, NoiseLevel noise);

    /**
     * The log concrete score the output stands for, log s(x_t)_y, with 0 at y = x_t (for tests and
     * inspection; the sampler and the loss use stable forms).
     *
     * @param output ℓ (N, L, states)
     * @param xt tokens (N, L)
     * @param sigmaBar the total noise of every example, finite and &gt; 0
     * @return (N, L, states); −∞ where Q allows no jump (the mask of absorbed tokens, unmasked tokens)
     */
    NDArray logScore(NDArray output, NDArray xt, double sigmaBar);

    /**
     * The Euler (τ-leaping) step of the reverse chain from t to t − Δt (Lou et al. 2024, §4.1):
     * p(x_{t−Δt} = y) = δ(x_t, y) + Δt·σ(t)·Q(y, x_t)·s_y, the diagonal making rows sum to 1, negative
     * entries clipped to 0.
     *
     * @param output ℓ at (x_t, t)
     * @param xt tokens (N, L)
     * @param t the current time
     * @param dt the step Δt &gt; 0
     * @param noise the schedule
     * @return unnormalised probabilities of the next token, (N, L, states), in the manager of output
     */
    NDArray eulerProbabilities(NDArray output, NDArray xt, double t, double dt, NoiseLevel noise);

    /**
     * The analytic (Tweedie τ-leaping) step from t to s &lt; t (Lou et al. 2024, Thm. 4.2):
     * p(x_s = y | x_t) ∝ [exp((σ̄_s − σ̄_t) Q) s](y) · exp((σ̄_t − σ̄_s) Q)(y, x_t), exact when the score
     * is exact and one token changes.
     *
     * @param output ℓ at (x_t, t)
     * @param xt tokens (N, L)
     * @param t the current time
     * @param s the next time, in [0, t)
     * @param noise the schedule
     * @return unnormalised probabilities (N, L, states), in the manager of output
     */
    NDArray analyticProbabilities(NDArray output, NDArray xt, double t, double s, NoiseLevel noise);

    /**
     * The prior term of the bound, per token: KL(p_1(· | x_0) ‖ limit), the same for every x_0.
     *
     * @param noise the schedule
     * @return nats per token, &gt;= 0
     * @throws IllegalArgumentException when the term is infinite for this schedule
     */
    double priorKl(NoiseLevel noise);
}
