package io.gen4j.gans;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;

/**
 * The two networks of a GAN as one block, the {@link GanModel#network()} that {@code ModelStore}
 * saves: the generator (what sampling needs) and the discriminator with its spectral-norm vectors
 * (what continuing training or scoring samples needs). Its forward is the generator's.
 */
public final class GanNetworks extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Generator generator;
    private final Discriminator discriminator;

    /**
     * @param generator the initialised generator
     * @param discriminator the initialised discriminator
     */
    public GanNetworks(Generator generator, Discriminator discriminator) {
        super(VERSION);
        this.generator = addChildBlock("generator", generator);
        this.discriminator = addChildBlock("discriminator", discriminator);
    }

    /** @return the generator */
    public Generator generator() {
        return generator;
    }

    /** @return the discriminator */
    public Discriminator discriminator() {
        return discriminator;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        return generator.forward(ps, in, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return generator.getOutputShapes(inputShapes);
    }

    @Override
    protected void saveMetadata(DataOutputStream os) {
        // the children are initialised on their own; nothing of this block's own to save
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is) {
        // see saveMetadata
    }
}
