package io.gen4j.autoencoders;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.model.ModelFamily;
import io.gen4j.core.model.SaveableModel;

/**
 * The {@code autoencoder} family of saved models: builds a {@link AutoencoderModel} from a
 * {@link AutoencoderSpec}. Registered in {@code META-INF/services/io.gen4j.core.model.ModelFamily}.
 */
public final class AutoencoderFamily implements ModelFamily<AutoencoderSpec> {

    /** The family's name, the {@code family} of its specs. */
    public static final String NAME = "autoencoder";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<AutoencoderSpec> specType() {
        return AutoencoderSpec.class;
    }

    @Override
    public SaveableModel create(AutoencoderSpec spec, NDManager manager) {
        return AutoencoderModel.create(spec, manager);
    }
}
