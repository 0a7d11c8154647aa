package io.gen4j.gans;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.model.ModelFamily;

/**
 * Builds {@link GanModel}s from their {@link GanSpec}: the {@code gan} family of
 * docs/model-format.md, registered for {@code ModelStore} in {@code
 * META-INF/services/io.gen4j.core.model.ModelFamily}. The saved parameters include both networks,
 * BatchNorm's running statistics and the spectral-norm vectors u.
 */
public final class GanFamily implements ModelFamily<GanSpec> {

    @Override
    public String name() {
        return GanSpec.FAMILY;
    }

    @Override
    public Class<GanSpec> specType() {
        return GanSpec.class;
    }

    @Override
    public GanModel create(GanSpec spec, NDManager manager) {
        return GanModel.create(spec, manager);
    }
}
