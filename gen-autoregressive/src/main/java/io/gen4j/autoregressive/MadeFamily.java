package io.gen4j.autoregressive;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.model.ModelFamily;

/** Builds {@link MadeModel}s from their {@link MadeSpec}: the {@code made} family of ModelStore. */
public final class MadeFamily implements ModelFamily<MadeSpec> {

    @Override
    public String name() {
        return MadeSpec.FAMILY;
    }

    @Override
    public Class<MadeSpec> specType() {
        return MadeSpec.class;
    }

    @Override
    public MadeModel create(MadeSpec spec, NDManager manager) {
        return MadeModel.create(spec, manager);
    }
}
