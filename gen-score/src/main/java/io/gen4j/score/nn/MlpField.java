package io.gen4j.score.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.Denoiser;
import io.gen4j.core.model.DenoisingNetwork;
import io.gen4j.core.nn.Activation;
import io.gen4j.core.nn.Mlp;
import io.gen4j.core.nn.SinusoidalTimeEmbedding;

/**
 * A time-conditioned MLP f(x, t) for vector data: [x, emb(t·scale)] → SiLU MLP → D outputs, where
 * emb is the sinusoidal embedding of Vaswani et al. (gen-core's {@link SinusoidalTimeEmbedding}).
 * The score network, velocity field or (with one output and no time) energy of the 2-D toys; seen as
 * a {@link Denoiser} through {@link #denoiser}. Inputs: {@code NDList(x (N, D), t (N))}.
 */
public final class MlpField extends AbstractBlock implements DenoisingNetwork {

    private static final byte VERSION = 1;

    private final MlpFieldConfig config;
    private final Mlp mlp;

    /**
     * @param config the architecture
     * @param outputs the output width (D for a field, 1 for an energy)
     */
    public MlpField(MlpFieldConfig config, int outputs) {
        super(VERSION);
        this.config = config;
        int[] widths = new int[config.layers()];
        java.util.Arrays.fill(widths, config.hidden());
        this.mlp = addChildBlock("mlp", Mlp.builder().setHidden(widths).setOutput(outputs)
                .optActivation(Activation.SILU).build());
    }

    /**
     * @param config the architecture
     * @return a field with D outputs
     */
    public static MlpField field(MlpFieldConfig config) {
        return new MlpField(config, config.dims());
    }

    /** @return the architecture */
    public MlpFieldConfig config() {
        return config;
    }

    /**
     * Initializes the parameters for batches of D-vectors.
     *
     * @param manager owner of the parameters
     * @param type the parameter type
     * @return this
     */
    public MlpField initialize(NDManager manager, DataType type) {
        initialize(manager, type, new Shape(1, config.dims()), new Shape(1));
        return this;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray t = Scalars.times(inputs.get(1).toType(x.getDataType(), false), config.timeScale());
        NDArray embedding = SinusoidalTimeEmbedding.embed(t, config.timeDim(), 10_000).toType(x.getDataType(), false);
        return mlp.forward(ps, new NDList(x.concat(embedding, 1)), training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        mlp.initialize(manager, dataType, new Shape(inputShapes[0].get(0), config.dims() + config.timeDim()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return mlp.getOutputShapes(new Shape[] {new Shape(inputShapes[0].get(0), config.dims() + config.timeDim())});
    }

    @Override
    public Denoiser denoiser(ParameterStore parameters, boolean training) {
        return (xt, t, condition) -> forward(parameters, new NDList(xt, t), training).head();
    }
}
