package io.gen4j.gans;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * What the {@link LinearMap} blocks share: the forward {@code apply(x, weight(), bias())} and their
 * saved metadata (the input shapes and the fan-in that initialises the bias).
 */
abstract class LinearMapBlock extends AbstractBlock implements LinearMap {

    /** Input features (dense) or channels (convolution), known once initialised; −1 before. */
    protected long inputs = -1;

    /**
     * @param version the block's format version
     */
    protected LinearMapBlock(byte version) {
        super(version);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDArray x = in.head();
        return new NDList(apply(x, weight(ps, x, training), bias(ps, x, training)));
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeLong(inputs);
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != version) {
            throw new MalformedModelException("Unsupported " + getClass().getSimpleName() + " version " + loadVersion);
        }
        readInputShapes(is);
        inputs = is.readLong();
    }
}
