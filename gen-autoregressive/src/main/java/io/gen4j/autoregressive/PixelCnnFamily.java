package io.gen4j.autoregressive;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.model.ModelFamily;

/** Builds {@link PixelCnnModel}s from their {@link PixelCnnSpec}: the {@code pixelcnn} family of ModelStore. */
public final class PixelCnnFamily implements ModelFamily<PixelCnnSpec> {

    @Override
    public String name() {
        return PixelCnnSpec.FAMILY;
    }

    @Override
    public Class<PixelCnnSpec> specType() {
        return PixelCnnSpec.class;
    }

    @Override
    public PixelCnnModel create(PixelCnnSpec spec, NDManager manager) {
        return PixelCnnModel.create(spec, manager);
    }
}
