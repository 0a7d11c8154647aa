package io.gen4j.diffusion;

import ai.djl.ndarray.NDArray;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.Condition;

/**
 * DDIM (Song, Meng &amp; Ermon 2021, "Denoising Diffusion Implicit Models", eq. 12): the
 * non-Markovian reverse process that has the same marginals q(x_t | x_0) as DDPM, so a DDPM-trained
 * network samples with any sub-sequence of steps. From step t to s &lt; t:
 *
 * <pre>
 *   σ   = η · √((1 − ᾱ_s)/(1 − ᾱ_t)) · √(1 − ᾱ_t/ᾱ_s)
 *   x_s = √ᾱ_s · x̂_0 + √(1 − ᾱ_s − σ²) · ε̂ + σ·z,      z ~ N(0, I)
 * </pre>
 *
 * <p>η = 0 is deterministic (an Euler discretisation of the probability-flow ODE in the
 * (x/√ᾱ, √(1−ᾱ)/√ᾱ) variables), η = 1 is DDPM ancestral sampling with σ² = β̃. With η = 0 the map
 * can be run backwards: {@link #invert} encodes x_0 to the x_T that the sampler maps back to it (up
 * to the discretisation error of evaluating ε̂ at the start of each step, which fixed-point
 * refinement removes).
 *
 * @param eta η, in [0, 1]
 */
public record DdimSampler(double eta) implements Sampler {

    /** Validates η. */
    public DdimSampler {
        if (!(eta >= 0 && eta <= 1)) {
            throw new IllegalArgumentException("eta must be in [0, 1], got " + eta);
        }
    }

    /** @return the deterministic sampler, η = 0 */
    public static DdimSampler deterministic() {
        return new DdimSampler(0);
    }

    @Override
    public SamplerResult sample(
            DiffusionModel model,
            NDArray xT,
            TimeGrid grid,
            Condition condition,
            boolean keepTrajectory) {
        return SamplerLoop.run(model, xT, SamplerLoop.reverse(grid, model.schedule()), condition,
                keepTrajectory, this::step);
    }

    /**
     * DDIM inversion: runs the deterministic update forwards in time, x_0 -> x_{t_0} -> … ->
     * x_{t_{n−1}}, with t_0 the smallest step of the grid (not necessarily 0):
     *
     * <pre>
     *   x_{t_0}     = √ᾱ_{t_0} · x_0 + √(1 − ᾱ_{t_0}) · ε̂(x_0, t_0)          (from clean data)
     *   x_{t_{i+1}} = √ᾱ_{t_{i+1}} · x̂_0 + √(1 − ᾱ_{t_{i+1}}) · ε̂,   (x̂_0, ε̂) at (x_{t_i}, t_i)
     * </pre>
     *
     * On the step from clean data x̂_0 is x_0 itself and only ε̂ comes from the network, evaluated
     * at (x_0, t_0) since it has no step for clean data: the convention of diffusers'
     * {@code DDIMInverseScheduler} (which evaluates every later step at its target step; here they
     * are evaluated at their start, the explicit Euler step of the probability-flow ODE run
     * forwards). One network evaluation per step; the round trip through {@link #sample} with
     * η = 0 has an error of first order in the step size. Independent of η.
     *
     * @param model the denoiser-as-model
     * @param x0 clean data, not modified or closed
     * @param grid the same grid the sampler would use (decreasing)
     * @param condition the condition
     * @param keepTrajectory whether to return every state
     * @return the latents x_T, in the manager of {@code x0}
     */
    public SamplerResult invert(
            DiffusionModel model,
            NDArray x0,
            TimeGrid grid,
            Condition condition,
            boolean keepTrajectory) {
        return invert(model, x0, grid, condition, keepTrajectory, 0);
    }

    /**
     * DDIM inversion refined by fixed-point iteration: the sampler's step s &lt; t is x_s =
     * √(ᾱ_s/ᾱ_t)·x_t + c·ε̂(x_t, t) with c = √(1 − ᾱ_s) − √(ᾱ_s(1 − ᾱ_t)/ᾱ_t), so its exact inverse
     * solves x_t = √(ᾱ_t/ᾱ_s)·(x_s − c·ε̂(x_t, t)). Starting from the plain inversion step, each
     * iteration applies this map once (one more network evaluation); when it converges the round
     * trip x_0 -> x_T -> x_0 is exact up to the convergence (Pan et al. 2023, "Effective Real
     * Image Editing with Accelerated Iterative Diffusion Inversion"). On the step from clean data
     * (s = −1, ᾱ_s = 1) the map is x_{t_0} = √ᾱ_{t_0}·x_0 + √(1 − ᾱ_{t_0})·ε̂(x_{t_0}, t_0), the
     * inverse of the sampler's last step x_0 = x̂_0(x_{t_0}, t_0); the plain step is this map
     * applied once to the guess x_{t_0} = x_0.
     *
     * @param model the denoiser-as-model
     * @param x0 clean data, not modified or closed
     * @param grid the same grid the sampler would use (decreasing)
     * @param condition the condition
     * @param keepTrajectory whether to return every state
     * @param fixedPointIterations extra evaluations per step, in [0, 100]
     * @return the latents x_T, in the manager of {@code x0}; steps counts every evaluation
     */
    public SamplerResult invert(
            DiffusionModel model,
            NDArray x0,
            TimeGrid grid,
            Condition condition,
            boolean keepTrajectory,
            int fixedPointIterations) {
        if (fixedPointIterations < 0 || fixedPointIterations > 100) {
            throw new IllegalArgumentException(
                    "fixedPointIterations must be in [0, 100], got " + fixedPointIterations);
        }
        SamplerLoop.checkGrid(grid, model.schedule());
        int n = grid.size();
        int[][] steps = new int[n][];
        int from = -1;
        for (int i = 0; i < n; i++) {
            int to = grid.step(n - 1 - i);
            steps[i] = new int[] {from, to, Math.max(from, grid.step(n - 1))};
            from = to;
        }
        SamplerResult r = SamplerLoop.run(model, x0, steps, condition, keepTrajectory,
                (x, e, s, t, schedule) -> {
                    double abS = schedule.alphaBar(s);
                    double abT = schedule.alphaBar(t);
                    NDArray xt;
                    if (s < 0) {
                        // From clean data: x̂0 = x0 exactly, ε̂ from the network at (x0, t0).
                        xt = Scalars.times(x, Math.sqrt(abT)).add(Scalars.times(e.epsilon(), Math.sqrt(1.0 - abT)));
                    } else {
                        xt = deterministicStep(e, t, schedule);
                    }
                    double c = Math.sqrt(1.0 - abS) - Math.sqrt(abS * (1.0 - abT) / abT);
                    double scale = Math.sqrt(abT / abS);
                    for (int k = 0; k < fixedPointIterations; k++) {
                        NDArray eps = model.estimate(xt, t, condition).epsilon();
                        xt = Scalars.times(x.sub(Scalars.times(eps, c)), scale);
                    }
                    return xt;
                });
        return new SamplerResult(r.samples(), r.trajectory(), n * (1 + fixedPointIterations),
                r.wallTime());
    }

    private NDArray step(
            NDArray x, DiffusionModel.Estimate e, int t, int s, NoiseSchedule schedule) {
        double abT = schedule.alphaBar(t);
        double abS = schedule.alphaBar(s);
        double sigma = eta * Math.sqrt((1.0 - abS) / (1.0 - abT) * (1.0 - abT / abS));
        double dirCoef = Math.sqrt(Math.max(1.0 - abS - sigma * sigma, 0.0));
        NDArray next = Scalars.times(e.x0(), Math.sqrt(abS)).add(Scalars.times(e.epsilon(), dirCoef));
        if (sigma == 0) {
            return next;
        }
        NDArray z = x.getManager().randomNormal(0f, 1f, x.getShape(), x.getDataType());
        return next.add(Scalars.times(z, sigma));
    }

    /** x_to = √ᾱ_to · x̂0 + √(1 − ᾱ_to) · ε̂: the η = 0 update, written for any direction. */
    private static NDArray deterministicStep(
            DiffusionModel.Estimate e, int to, NoiseSchedule schedule) {
        double abTo = schedule.alphaBar(to);
        return Scalars.times(e.x0(), Math.sqrt(abTo)).add(Scalars.times(e.epsilon(), Math.sqrt(1.0 - abTo)));
    }
}
