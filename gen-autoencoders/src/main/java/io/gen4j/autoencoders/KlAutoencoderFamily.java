package io.gen4j.autoencoders;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.model.ModelFamily;
import io.gen4j.core.model.SaveableModel;

/**
 * The {@code kl-autoencoder} family of saved models: builds a {@link KlAutoencoderModel} from a
 * {@link KlAutoencoderSpec}. Registered in {@code META-INF/services/io.gen4j.core.model.ModelFamily}.
 */
public final class KlAutoencoderFamily implements ModelFamily<KlAutoencoderSpec> {

    /** The family's name, the {@code family} of its specs. */
    public static final String NAME = "kl-autoencoder";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<KlAutoencoderSpec> specType() {
        return KlAutoencoderSpec.class;
    }

    @Override
    public SaveableModel create(KlAutoencoderSpec spec, NDManager manager) {
        return KlAutoencoderModel.create(spec, manager);
    }
}
