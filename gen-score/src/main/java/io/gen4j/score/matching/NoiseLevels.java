package io.gen4j.score.matching;

/**
 * The geometric noise levels of NCSN (Song &amp; Ermon 2019): σ_1 = σ_max &gt; … &gt; σ_L = σ_min with a
 * constant ratio σ_{i}/σ_{i+1}, the discretisation of the VE SDE's σ(t) (Song et al. 2021).
 *
 * @param sigmaMax σ_1 &gt; σ_min (about the largest distance between data points, Song &amp; Ermon 2020)
 * @param sigmaMin σ_L &gt; 0
 * @param count L ≥ 1 (L = 1 is single-level denoising score matching at σ_max = σ_min)
 */
public record NoiseLevels(double sigmaMax, double sigmaMin, int count) {

    /** Validates. */
    public NoiseLevels {
        if (!(sigmaMin > 0) || !(sigmaMax >= sigmaMin) || Double.isInfinite(sigmaMax) || count < 1) {
            throw new IllegalArgumentException("need 0 < sigmaMin <= sigmaMax < inf and count >= 1, got "
                    + sigmaMax + ", " + sigmaMin + ", " + count);
        }
        if (count == 1 && sigmaMax != sigmaMin) {
            throw new IllegalArgumentException("one level needs sigmaMax = sigmaMin, got " + sigmaMax + " and " + sigmaMin);
        }
    }

    /**
     * @param sigma σ &gt; 0
     * @return the single level σ (plain denoising score matching, Vincent 2011)
     */
    public static NoiseLevels single(double sigma) {
        return new NoiseLevels(sigma, sigma, 1);
    }

    /** @return σ_1 … σ_L, decreasing */
    public double[] sigmas() {
        double[] s = new double[count];
        for (int i = 0; i < count; i++) {
            s[i] = count == 1 ? sigmaMax : sigmaMax * Math.pow(sigmaMin / sigmaMax, (double) i / (count - 1));
        }
        return s;
    }
}
