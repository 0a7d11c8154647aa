package io.gen4j.spark;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.ModelFamily;
import io.gen4j.core.model.ModelSpec;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.model.SaveableModel;

/**
 * A test family with a closed form: x = W z + b with z ~ N(0, I), a Gaussian N(b, W Wᵀ) of
 * dimension d; W and b are the parameters of one linear layer. Registered for the tests through
 * META-INF/services, as a user's own family would be.
 */
public final class GaussianFamily implements ModelFamily<GaussianFamily.Spec> {

    /** @param data d numbers per example */
    public record Spec(DataSpec data) implements ModelSpec {
        @Override
        public String family() {
            return "test-gaussian";
        }
    }

    /** The model: samples W z + b. */
    public record Model(Spec spec, Block network) implements GenerativeModel {
        @Override
        public NDArray sample(NDManager manager, int n, SampleOptions options) {
            int d = (int) spec.data().shape()[0];
            NDArray z = manager.randomNormal(new Shape(n, d)).mul(options.temperature());
            return network.forward(new ParameterStore(manager, false), new NDList(z), false).singletonOrThrow();
        }
    }

    @Override
    public String name() {
        return "test-gaussian";
    }

    @Override
    public Class<Spec> specType() {
        return Spec.class;
    }

    @Override
    public SaveableModel create(Spec spec, NDManager manager) {
        int d = (int) spec.data().shape()[0];
        Block linear = Linear.builder().setUnits(d).build();
        linear.initialize(manager, DataType.FLOAT32, new Shape(1, d));
        return new Model(spec, linear);
    }

    /**
     * @param d dimension
     * @param manager owner of the parameters
     * @return a model with the engine's random initial W and b
     */
    static Model create(int d, NDManager manager) {
        return (Model) new GaussianFamily().create(new Spec(DataSpec.vector(d)), manager);
    }
}
