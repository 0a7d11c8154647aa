package io.gen4j.score.matching;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.model.ModelFamily;

/** Builds {@link NcsnModel}s from their specs (family {@code ncsn}). */
public final class NcsnFamily implements ModelFamily<NcsnSpec> {

    @Override
    public String name() {
        return NcsnSpec.FAMILY;
    }

    @Override
    public Class<NcsnSpec> specType() {
        return NcsnSpec.class;
    }

    @Override
    public NcsnModel create(NcsnSpec spec, NDManager manager) {
        return NcsnModel.create(spec, manager);
    }
}
