package io.gen4j.autoencoders;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.model.ModelFamily;
import io.gen4j.core.model.SaveableModel;

/**
 * The {@code conditional-vae} family of saved models: builds a {@link ConditionalVaeModel} from a
 * {@link ConditionalVaeSpec}. Registered in {@code META-INF/services/io.gen4j.core.model.ModelFamily}.
 */
public final class ConditionalVaeFamily implements ModelFamily<ConditionalVaeSpec> {

    /** The family's name, the {@code family} of its specs. */
    public static final String NAME = "conditional-vae";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<ConditionalVaeSpec> specType() {
        return ConditionalVaeSpec.class;
    }

    @Override
    public SaveableModel create(ConditionalVaeSpec spec, NDManager manager) {
        return ConditionalVaeModel.create(spec, manager);
    }
}
