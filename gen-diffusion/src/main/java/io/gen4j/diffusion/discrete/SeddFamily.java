package io.gen4j.diffusion.discrete;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.model.ModelFamily;

/**
 * Builds {@link SeddModel}s from their {@link SeddSpec}: the {@code sedd} family, registered for
 * {@code ModelStore} in {@code META-INF/services/io.gen4j.core.model.ModelFamily}.
 */
public final class SeddFamily implements ModelFamily<SeddSpec> {

    @Override
    public String name() {
        return SeddSpec.FAMILY;
    }

    @Override
    public Class<SeddSpec> specType() {
        return SeddSpec.class;
    }

    @Override
    public SeddModel create(SeddSpec spec, NDManager manager) {
        return SeddModel.create(spec, manager);
    }
}
