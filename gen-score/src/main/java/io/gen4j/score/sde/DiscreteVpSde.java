package io.gen4j.score.sde;

/**
 * The VP SDE whose marginals are exactly those of a discrete DDPM schedule β_0, …, β_{N−1}: step i
 * of the chain sits at time t_i = (i + 1)/N, and β(t) is piecewise constant, b_i = −N ln(1 − β_i) on
 * (i/N, (i+1)/N], so that e^{−∫₀^{t_i} β} = Π_{j≤i} (1 − β_j) = ᾱ_i.
 *
 * <p>This is how a trained DDPM becomes a score model here: its ε-network at step i, divided by
 * −√(1 − ᾱ_i), is the score of this SDE at t_i ({@link DenoiserScores#epsilon}); {@link
 * AncestralSampler} on this SDE is DDPM's ancestral sampler (Song et al. 2021, App. E: "DDPM's
 * sampler is a discretisation of the reverse VP SDE").
 */
public final class DiscreteVpSde implements Sde {

    private final double[] betas;
    private final double[] cumulative;

    /**
     * @param betas β_i in (0, 1), i = 0 … N−1, N ≥ 2 (a gen-diffusion schedule's {@code betas()})
     */
    public DiscreteVpSde(double[] betas) {
        if (betas == null || betas.length < 2) {
            throw new IllegalArgumentException("need at least 2 betas");
        }
        this.betas = betas.clone();
        this.cumulative = new double[betas.length + 1];
        for (int i = 0; i < betas.length; i++) {
            if (!(betas[i] > 0 && betas[i] < 1)) {
                throw new IllegalArgumentException("beta must be in (0, 1), got " + betas[i] + " at " + i);
            }
            cumulative[i + 1] = cumulative[i] - Math.log1p(-betas[i]);
        }
    }

    /** @return N */
    public int steps() {
        return betas.length;
    }

    /**
     * @param i step index in [0, N)
     * @return β_i
     */
    public double beta(int i) {
        return betas[i];
    }

    /**
     * @param i step index in [0, N)
     * @return ᾱ_i = Π_{j≤i} (1 − β_j)
     */
    public double alphaBar(int i) {
        return Math.exp(-cumulative[i + 1]);
    }

    /**
     * @param i step index in [0, N)
     * @return t_i = (i + 1)/N
     */
    public double time(int i) {
        return (i + 1.0) / betas.length;
    }

    /**
     * @param t time in (0, 1]
     * @return the step whose time is nearest to t, round(tN − 1), clamped to [0, N)
     */
    public int step(double t) {
        return (int) Math.max(0, Math.min(betas.length - 1, Math.round(t * betas.length - 1)));
    }

    private int interval(double t) {
        return (int) Math.max(0, Math.min(betas.length - 1, Math.ceil(t * betas.length) - 1));
    }

    private double rate(double t) {
        int i = interval(t);
        return -betas.length * Math.log1p(-betas[i]);
    }

    private double integrated(double t) {
        int i = interval(t);
        double start = (double) i / betas.length;
        return cumulative[i] + rate(t) * Math.max(0, t - start);
    }

    @Override
    public double driftScale(double t) {
        return -0.5 * rate(t);
    }

    @Override
    public double diffusion(double t) {
        return Math.sqrt(rate(t));
    }

    @Override
    public double meanScale(double t) {
        return Math.exp(-0.5 * integrated(t));
    }

    @Override
    public double marginalStd(double t) {
        return Math.sqrt(-Math.expm1(-integrated(t)));
    }

    @Override
    public double priorStd() {
        return 1.0;
    }

    @Override
    public double minTime() {
        return 1.0 / betas.length;
    }
}
