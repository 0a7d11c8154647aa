package io.gen4j.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.ModelFamily;
import io.gen4j.core.model.ModelSpec;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.model.SaveableModel;

/**
 * A test family: an MLP "generator" from noise to D numbers. Registered for the tests through
 * META-INF/services, as a user's own family would be.
 */
public final class TinyMlpFamily implements ModelFamily<TinyMlpFamily.Spec> {

    /**
     * @param hidden hidden units
     * @param scale a number that changes sampling but not the parameter shapes
     * @param data D numbers per example
     */
    public record Spec(int hidden, double scale, DataSpec data) implements ModelSpec {
        @Override
        public String family() {
            return "test-mlp";
        }
    }

    /** The model: samples are scale · mlp(z). */
    public record Model(Spec spec, Block network) implements GenerativeModel {
        @Override
        public NDArray sample(NDManager manager, int n, SampleOptions options) {
            NDArray z = manager.randomNormal(new Shape(n, 3)).mul(options.temperature());
            return network.forward(new ParameterStore(manager, false), new NDList(z), false)
                    .singletonOrThrow().mul(spec.scale());
        }
    }

    @Override
    public String name() {
        return "test-mlp";
    }

    @Override
    public Class<Spec> specType() {
        return Spec.class;
    }

    @Override
    public SaveableModel create(Spec spec, NDManager manager) {
        SequentialBlock b = new SequentialBlock()
                .add(Linear.builder().setUnits(spec.hidden()).build())
                .add(Activation::tanh)
                .add(Linear.builder().setUnits(spec.data().shape()[0]).build());
        b.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
        return new Model(spec, b);
    }
}
