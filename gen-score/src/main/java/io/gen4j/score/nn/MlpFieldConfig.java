package io.gen4j.score.nn;

/**
 * The architecture of a {@link MlpField}: a time-conditioned MLP for vector data (2-D toys).
 *
 * @param dims D, the data dimension (input and output width), ≥ 1
 * @param hidden width of every hidden layer, ≥ 1
 * @param layers number of hidden layers, ≥ 1
 * @param timeDim width of the sinusoidal time embedding, even, ≥ 2
 * @param timeScale the network sees t·timeScale (1000 maps [0, 1] to DDPM-like step numbers), &gt; 0
 */
public record MlpFieldConfig(int dims, int hidden, int layers, int timeDim, double timeScale) {

    /** Validates. */
    public MlpFieldConfig {
        if (dims < 1 || hidden < 1 || layers < 1) {
            throw new IllegalArgumentException(
                    "need dims, hidden, layers >= 1, got " + dims + ", " + hidden + ", " + layers);
        }
        if (timeDim < 2 || timeDim % 2 != 0) {
            throw new IllegalArgumentException("timeDim must be even and >= 2, got " + timeDim);
        }
        if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
            throw new IllegalArgumentException("timeScale must be finite and > 0, got " + timeScale);
        }
    }

    /**
     * @param dims D
     * @return 3 hidden layers of 128 SiLU units, a 32-wide time embedding of t·1000
     */
    public static MlpFieldConfig defaults(int dims) {
        return new MlpFieldConfig(dims, 128, 3, 32, 1000);
    }
}
