package io.gen4j.eval;

/**
 * One reported metric value with everything needed to trust and compare it.
 *
 * @param name metric named after its extractor, e.g. {@code FID-inception-v3}, {@code precision-fmnist-cnn}
 * @param value the value
 * @param std standard deviation over subsets/splits (KID, IS), NaN when not applicable
 * @param nReal number of real samples used as the reference
 * @param nGen number of generated samples
 * @param extractor feature extractor name
 * @param extractorHash SHA-256 of the extractor's weights file
 * @param preprocessing how images became extractor input
 * @param referenceSplit which real data were the reference (e.g. {@code fashion-mnist/test})
 * @param seed seed of the random choices behind the value
 * @param floor the same metric between two disjoint real subsets (the best a model can hope for at
 *     this N), NaN when not computed
 * @param floorN size of the held-out real subset used for the floor; 0 when not computed
 * @param floorReferenceN size of the real reference of the floor (nReal − floorN); the floor is at
 *     the same N as the value when floorN = nGen and floorReferenceN ≈ nReal, i.e. nReal ≫ nGen
 */
public record MetricResult(String name, double value, double std, int nReal, int nGen, String extractor,
        String extractorHash, String preprocessing, String referenceSplit, long seed, double floor, int floorN,
        int floorReferenceN) {

    /** @return a one-line summary, e.g. {@code FID-inception-v3 = 12.3456 (floor 2.1 at N=5000)} */
    public String summary() {
        StringBuilder sb = new StringBuilder(name).append(" = ").append(String.format("%.6g", value));
        if (!Double.isNaN(std)) {
            sb.append(" ± ").append(String.format("%.3g", std));
        }
        sb.append(String.format(" (N_real=%d, N_gen=%d", nReal, nGen));
        if (!Double.isNaN(floor)) {
            sb.append(String.format(", real-vs-real floor %.6g at N_gen=%d vs N_real=%d", floor, floorN, floorReferenceN));
        }
        return sb.append(')').toString();
    }
}
