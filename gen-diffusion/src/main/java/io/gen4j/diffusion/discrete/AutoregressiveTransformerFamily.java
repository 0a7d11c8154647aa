package io.gen4j.diffusion.discrete;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.model.ModelFamily;

/**
 * Builds {@link AutoregressiveTransformerModel}s from their {@link AutoregressiveTransformerSpec}:
 * the {@code autoregressive-transformer} family, registered for {@code ModelStore} in {@code
 * META-INF/services/io.gen4j.core.model.ModelFamily}.
 */
public final class AutoregressiveTransformerFamily implements ModelFamily<AutoregressiveTransformerSpec> {

    @Override
    public String name() {
        return AutoregressiveTransformerSpec.FAMILY;
    }

    @Override
    public Class<AutoregressiveTransformerSpec> specType() {
        return AutoregressiveTransformerSpec.class;
    }

    @Override
    public AutoregressiveTransformerModel create(AutoregressiveTransformerSpec spec, NDManager manager) {
        return AutoregressiveTransformerModel.create(spec, manager);
    }
}
