package io.gen4j.score.matching;

import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.ModelSpec;
import io.gen4j.score.nn.MlpFieldConfig;
import io.gen4j.score.sde.VeSde;
import java.util.Objects;

/**
 * Everything that rebuilds an {@link NcsnModel}: a noise-conditional score network of vector data
 * (time input log σ), its noise levels and its samplers' settings.
 *
 * @param mlp the network (its timeScale applies to log σ)
 * @param levels σ_max … σ_min and their number L
 * @param stepsPerLevel annealed Langevin steps per level T ≥ 1
 * @param epsilon annealed Langevin's ε &gt; 0
 * @param likelihoodSteps RK4 steps of the PF-ODE likelihood ≥ 1
 * @param data vector data of mlp.dims() dimensions
 */
public record NcsnSpec(MlpFieldConfig mlp, NoiseLevels levels, int stepsPerLevel, double epsilon,
        int likelihoodSteps, DataSpec data) implements ModelSpec {

    /** The family name. */
    public static final String FAMILY = "ncsn";

    /** Validates. */
    public NcsnSpec {
        Objects.requireNonNull(mlp, "mlp");
        Objects.requireNonNull(levels, "levels");
        Objects.requireNonNull(data, "data");
        if (!data.equals(DataSpec.vector(mlp.dims()))) {
            throw new IllegalArgumentException("data must be " + mlp.dims() + "-D vectors, got " + data);
        }
        if (stepsPerLevel < 1 || !(epsilon > 0) || likelihoodSteps < 1) {
            throw new IllegalArgumentException("need stepsPerLevel >= 1, epsilon > 0, likelihoodSteps >= 1");
        }
        if (levels.count() < 2) {
            throw new IllegalArgumentException("an NCSN needs at least 2 noise levels, got " + levels.count());
        }
    }

    @Override
    public String family() {
        return FAMILY;
    }

    /** @return the VE SDE of the levels, σ(t) from σ_min to σ_max */
    public VeSde sde() {
        return new VeSde(levels.sigmaMin(), levels.sigmaMax());
    }
}
