package io.gen4j.autoregressive;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.model.ModelFamily;

/** Builds {@link WaveNetModel}s from their {@link WaveNetSpec}: the {@code wavenet} family of ModelStore. */
public final class WaveNetFamily implements ModelFamily<WaveNetSpec> {

    @Override
    public String name() {
        return WaveNetSpec.FAMILY;
    }

    @Override
    public Class<WaveNetSpec> specType() {
        return WaveNetSpec.class;
    }

    @Override
    public WaveNetModel create(WaveNetSpec spec, NDManager manager) {
        return WaveNetModel.create(spec, manager);
    }
}
