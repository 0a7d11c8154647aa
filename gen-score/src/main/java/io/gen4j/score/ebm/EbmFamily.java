package io.gen4j.score.ebm;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.model.ModelFamily;

/** Builds {@link EbmModel}s from their specs (family {@code ebm}). */
public final class EbmFamily implements ModelFamily<EbmSpec> {

    @Override
    public String name() {
        return EbmSpec.FAMILY;
    }

    @Override
    public Class<EbmSpec> specType() {
        return EbmSpec.class;
    }

    @Override
    public EbmModel create(EbmSpec spec, NDManager manager) {
        return EbmModel.create(spec, manager);
    }
}
