package io.gen4j.score.ebm;

import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.ModelSpec;
import java.util.Objects;

/**
 * Everything that rebuilds an {@link EbmModel}: a 2-D energy MLP, the box its density is normalised
 * on, and its sampler.
 *
 * @param hidden hidden width, ≥ 1
 * @param layers hidden layers, ≥ 1
 * @param boxMin lower bound of the box (both axes)
 * @param boxMax upper bound
 * @param gridResolution cells per side of the normalising grid, ≥ 2
 * @param sampleSteps Langevin steps of {@code sample} (from uniform noise in the box), ≥ 1
 * @param sampleStepSize α of the unadjusted Langevin sampler x ← x − (α/2)∇E + √α z
 * @param data 2-D vectors
 */
public record EbmSpec(int hidden, int layers, double boxMin, double boxMax, int gridResolution, int sampleSteps,
        double sampleStepSize, DataSpec data) implements ModelSpec {

    /** The family name. */
    public static final String FAMILY = "ebm";

    /** Validates. */
    public EbmSpec {
        Objects.requireNonNull(data, "data");
        if (!data.equals(DataSpec.vector(2))) {
            throw new IllegalArgumentException("the EBM is normalised on a 2-D grid: data must be 2-D vectors, got " + data);
        }
        if (hidden < 1 || layers < 1 || !(boxMax > boxMin) || gridResolution < 2 || sampleSteps < 1
                || !(sampleStepSize > 0)) {
            throw new IllegalArgumentException("invalid EBM spec: hidden=" + hidden + ", layers=" + layers + ", box=["
                    + boxMin + ", " + boxMax + "], grid=" + gridResolution + ", sampleSteps=" + sampleSteps
                    + ", sampleStepSize=" + sampleStepSize);
        }
    }

    /**
     * @param boxMin lower bound of the box
     * @param boxMax upper bound
     * @return 128 × 3 SiLU units, a 200² grid, 500 Langevin steps of α = 1e-3
     */
    public static EbmSpec defaults(double boxMin, double boxMax) {
        return new EbmSpec(128, 3, boxMin, boxMax, 200, 500, 1e-3, DataSpec.vector(2));
    }

    @Override
    public String family() {
        return FAMILY;
    }

    /** @return the normalising grid */
    public GridDensity grid() {
        return new GridDensity(boxMin, boxMax, boxMin, boxMax, gridResolution);
    }
}
