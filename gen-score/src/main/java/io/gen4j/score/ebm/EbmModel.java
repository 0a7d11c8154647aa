package io.gen4j.score.ebm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.LikelihoodModel;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.nn.Activation;
import io.gen4j.core.nn.Mlp;
import io.gen4j.core.train.Gradients;
import io.gen4j.score.langevin.LangevinDynamics;
import java.util.Objects;

/**
 * An energy-based model of 2-D data, p(x) = e^{−E(x)}/Z on a box.
 *
 * <p>{@link #sample} runs unadjusted Langevin dynamics with −∇E from uniform noise in the box ({@code
 * options.steps()} steps, default {@link EbmSpec#sampleSteps()}; the temperature scales the energy:
 * E/T). {@link #logLikelihood} is −E(x) − log Z with Z by the midpoint rule on the spec's grid ({@link
 * GridDensity}): exact up to the grid and to the truncation to the box. Train it with {@link
 * ContrastiveDivergence} and a {@link ReplayBuffer}.
 *
 * @param spec the description
 * @param energy E: (N, 2) → (N, 1), initialized
 */
public record EbmModel(EbmSpec spec, Mlp energy) implements GenerativeModel, LikelihoodModel {

    /** Validates. */
    public EbmModel {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(energy, "energy");
    }

    /**
     * @param spec the description
     * @param manager owner of the parameters
     * @return a model with fresh parameters
     */
    public static EbmModel create(EbmSpec spec, NDManager manager) {
        int[] widths = new int[spec.layers()];
        java.util.Arrays.fill(widths, spec.hidden());
        Mlp mlp = Mlp.builder().setHidden(widths).setOutput(1).optActivation(Activation.SILU).build();
        mlp.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
        return new EbmModel(spec, mlp);
    }

    @Override
    public Mlp network() {
        return energy;
    }

    /**
     * @param x points (N, 2)
     * @return E(x), shape (N)
     */
    public NDArray energyOf(NDArray x) {
        return EnergyScore.energy(energy, new ParameterStore(x.getManager(), false)).apply(x);
    }

    @Override
    public NDArray sample(NDManager manager, int n, SampleOptions options) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray x0 = scope.randomUniform((float) spec.boxMin(), (float) spec.boxMax(), new Shape(n, 2),
                    DataType.FLOAT32);
            double temperature = options.temperature();
            io.gen4j.score.ScoreFunction base = EnergyScore.of(energy, new ParameterStore(scope, false));
            NDArray x = new LangevinDynamics(options.stepsOr(spec.sampleSteps()), spec.sampleStepSize())
                    .run((y, t) -> Scalars.dividedBy(base.score(y, t), temperature), x0, 0, false).samples();
            x.attach(manager);
            return x;
        } finally {
            Gradients.zero(energy);
        }
    }

    /**
     * @param manager scratch manager
     * @return log Z over the box
     */
    public double logPartition(NDManager manager) {
        return spec.grid().logPartition(x -> energyOf(x), manager);
    }

    @Override
    public NDArray logLikelihood(NDArray x) {
        double logZ = logPartition(x.getManager());
        NDManager parent = x.getManager();
        try (NDManager scope = parent.newSubManager()) {
            x.tempAttach(scope);
            NDArray out = energyOf(x).neg().sub(logZ);
            out.attach(parent);
            return out;
        }
    }
}
