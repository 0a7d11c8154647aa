package io.gen4j.score.sde;

/**
 * The variance-exploding SDE dx = √(d σ(t)²/dt) dW with σ(t) = σ_min (σ_max/σ_min)^t (Song et al.
 * 2021, eq. 9): the continuum limit of NCSN's geometric noise levels σ_1 &gt; … &gt; σ_L, whose
 * perturbation x + σ_i z is the VE kernel at t_i.
 *
 * <p>g(t) = σ(t) √(2 ln(σ_max/σ_min)); no drift; started at the data, x_t | x_0 ~ N(x_0, (σ(t)² −
 * σ_min²) I) exactly (score_sde reports σ(t), which is the kernel of x_0 + σ_min z). The prior is
 * N(0, σ_max² I).
 *
 * @param sigmaMin σ(0) &gt; 0 (0.01 in score_sde)
 * @param sigmaMax σ(1) &gt; σ_min (50 for 32×32 images, about the largest data distance)
 */
public record VeSde(double sigmaMin, double sigmaMax) implements Sde {

    /** Validates. */
    public VeSde {
        if (!(sigmaMin > 0) || !(sigmaMax > sigmaMin) || Double.isInfinite(sigmaMax)) {
            throw new IllegalArgumentException(
                    "need 0 < sigmaMin < sigmaMax < inf, got sigmaMin=" + sigmaMin + ", sigmaMax=" + sigmaMax);
        }
    }

    /**
     * @param t time
     * @return σ(t) = σ_min (σ_max/σ_min)^t
     */
    public double sigma(double t) {
        return sigmaMin * Math.pow(sigmaMax / sigmaMin, t);
    }

    @Override
    public double driftScale(double t) {
        return 0;
    }

    @Override
    public double diffusion(double t) {
        return sigma(t) * Math.sqrt(2 * Math.log(sigmaMax / sigmaMin));
    }

    @Override
    public double meanScale(double t) {
        return 1;
    }

    @Override
    public double marginalStd(double t) {
        double s = sigma(t);
        return Math.sqrt(Math.max(0, s * s - sigmaMin * sigmaMin));
    }

    @Override
    public double priorStd() {
        return sigmaMax;
    }

    @Override
    public double minTime() {
        return 1e-5;
    }
}
