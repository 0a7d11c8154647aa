package io.gen4j.autoencoders;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.model.ModelFamily;
import io.gen4j.core.model.SaveableModel;

/**
 * The {@code vae} family of saved models: builds a {@link VaeModel} from a {@link VaeSpec}.
 * Registered in {@code META-INF/services/io.gen4j.core.model.ModelFamily}, so {@link
 * io.gen4j.core.io.ModelStore#load} finds it whenever gen-autoencoders is on the class path.
 */
public final class VaeFamily implements ModelFamily<VaeSpec> {

    /** The family's name, the {@code family} of its specs. */
    public static final String NAME = "vae";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<VaeSpec> specType() {
        return VaeSpec.class;
    }

    @Override
    public SaveableModel create(VaeSpec spec, NDManager manager) {
        return VaeModel.create(spec, manager);
    }
}
