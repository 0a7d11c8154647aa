package io.gen4j.autoencoders;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.model.ModelFamily;
import io.gen4j.core.model.SaveableModel;

/**
 * The {@code vq-vae} family of saved models: builds a {@link VqVaeModel} from a
 * {@link VqVaeSpec}. Registered in {@code META-INF/services/io.gen4j.core.model.ModelFamily}.
 */
public final class VqVaeFamily implements ModelFamily<VqVaeSpec> {

    /** The family's name, the {@code family} of its specs. */
    public static final String NAME = "vq-vae";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<VqVaeSpec> specType() {
        return VqVaeSpec.class;
    }

    @Override
    public SaveableModel create(VqVaeSpec spec, NDManager manager) {
        return VqVaeModel.create(spec, manager);
    }
}
