package io.gen4j.diffusion;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.model.ModelFamily;
import io.gen4j.core.nn.UNet;

/**
 * Builds {@link DdpmModel}s from their {@link DdpmSpec}: the {@code ddpm} family of
 * docs/model-format.md, registered for {@code ModelStore} in {@code
 * META-INF/services/io.gen4j.core.model.ModelFamily}.
 */
public final class DdpmFamily implements ModelFamily<DdpmSpec> {

    @Override
    public String name() {
        return DdpmSpec.FAMILY;
    }

    @Override
    public Class<DdpmSpec> specType() {
        return DdpmSpec.class;
    }

    @Override
    public DdpmModel create(DdpmSpec spec, NDManager manager) {
        UNet unet = new UNet(spec.unet());
        long[] s = spec.data().shape();
        unet.initialize(manager, DataType.FLOAT32, new Shape(1, s[0], s[1], s[2]), new Shape(1));
        return new DdpmModel(spec, unet);
    }
}
