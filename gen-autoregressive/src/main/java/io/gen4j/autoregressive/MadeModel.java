package io.gen4j.autoregressive;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.LikelihoodModel;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.train.LossTerms;
import io.gen4j.core.train.Objective;
import java.util.Objects;

/**
 * A MADE as a gen-core model (family {@code made}, spec {@link MadeSpec}): an exact {@link
 * LikelihoodModel} (of the R-set ensemble when R &gt; 1) and a {@link GenerativeModel} whose sampling
 * reads {@link SampleOptions#temperature()}.
 *
 * @param spec the description
 * @param made the initialised network
 */
public record MadeModel(MadeSpec spec, Made made) implements GenerativeModel, LikelihoodModel {

    /** Validates. */
    public MadeModel {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(made, "made");
    }

    /**
     * @param spec the description
     * @param manager owns the parameters
     * @return a model with freshly initialised parameters
     */
    public static MadeModel create(MadeSpec spec, NDManager manager) {
        Made made = new Made(spec.config());
        made.initialize(manager, DataType.FLOAT32, new Shape(1, spec.config().dims()));
        return new MadeModel(spec, made);
    }

    @Override
    public Made network() {
        return made;
    }

    @Override
    public NDArray sample(NDManager manager, int n, SampleOptions options) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        NDArray x = made.sample(new ParameterStore(manager, false), manager, n, options.temperature());
        long[] shape = spec.data().shape();
        if (shape.length == 1) {
            return x; // already (n, D)
        }
        long[] full = new long[shape.length + 1];
        full[0] = n;
        System.arraycopy(shape, 0, full, 1, shape.length);
        NDArray shaped = x.reshape(new Shape(full));
        x.close(); // the reshaped array keeps the data; only the result stays in the caller's manager
        return shaped;
    }

    @Override
    public NDArray logLikelihood(NDArray x) {
        return made.logLikelihood(new ParameterStore(x.getManager(), false), flat(x), false);
    }

    /**
     * Maximum likelihood with mask resampling: every step draws one mask set uniformly (engine RNG,
     * so a resumed run draws the same) and minimises −(1/N) Σ_n log p_r(x_n); the batch is flattened.
     *
     * @return the objective for {@code ObjectiveStep}
     */
    public Objective objective() {
        int sets = spec.config().maskSets();
        return Objective.of(made, (context, batch) -> {
            NDArray x = flat(batch.head());
            int r = sets == 1 ? 0 : (int) x.getManager().randomInteger(0, sets, new Shape(1), DataType.INT64)
                    .getLong(0);
            NDArray nll = made.logLikelihood(context.parameters(), x, r, context.training()).mean().neg();
            return LossTerms.of(nll);
        });
    }

    private NDArray flat(NDArray x) {
        return x.reshape(x.getShape().get(0), spec.config().dims());
    }
}
