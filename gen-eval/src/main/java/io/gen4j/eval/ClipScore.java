package io.gen4j.eval;

/**
 * CLIP score: the agreement between images and their captions measured by the cosine similarity of
 * their CLIP embeddings (Radford et al. 2021; Hessel et al. 2021).
 *
 * <p>Row i of the image embeddings is paired with row i of the text embeddings. The embeddings are
 * L2-normalised here, so raw or normalised CLIP outputs may be passed. The two reporting
 * conventions of {@link ClipScoreConvention} give different numbers; always state which one is used.
 */
public final class ClipScore {

    private ClipScore() {}

    /**
     * @param imageEmbeddings N × e image embeddings
     * @param textEmbeddings N × e text embeddings, paired row by row
     * @param convention how the per-sample cosines are scaled, clipped and averaged
     * @return the score
     */
    public static double compute(Features imageEmbeddings, Features textEmbeddings, ClipScoreConvention convention) {
        double[] cos = cosines(imageEmbeddings, textEmbeddings);
        double sum = 0;
        switch (convention) {
            case HESSEL -> {
                for (double c : cos) {
                    sum += 2.5 * Math.max(c, 0.0);
                }
                return sum / cos.length;
            }
            case SCALED_100 -> {
                for (double c : cos) {
                    sum += 100.0 * c;
                }
                return Math.max(sum / cos.length, 0.0);
            }
            default -> throw new IllegalArgumentException("unknown convention " + convention);
        }
    }

    /**
     * Per-pair cosine similarities.
     *
     * @param a N × e
     * @param b N × e
     * @return length N, each in [−1, 1]
     */
    public static double[] cosines(Features a, Features b) {
        if (a.count() != b.count() || a.dim() != b.dim()) {
            throw new IllegalArgumentException("embeddings must have the same shape, got ("
                    + a.count() + ", " + a.dim() + ") and (" + b.count() + ", " + b.dim() + ")");
        }
        int d = a.dim();
        double[] out = new double[a.count()];
        for (int i = 0; i < a.count(); i++) {
            double dot = 0;
            double na = 0;
            double nb = 0;
            for (int j = 0; j < d; j++) {
                double x = a.data()[i * d + j];
                double y = b.data()[i * d + j];
                dot += x * y;
                na += x * x;
                nb += y * y;
            }
            if (na == 0 || nb == 0) {
                throw new IllegalArgumentException("embedding pair " + i + " has a zero vector");
            }
            out[i] = dot / Math.sqrt(na * nb);
        }
        return out;
    }
}
