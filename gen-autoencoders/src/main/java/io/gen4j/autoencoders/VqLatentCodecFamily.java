package io.gen4j.autoencoders;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.model.ModelFamily;
import io.gen4j.core.model.SaveableModel;

/**
 * The {@code vq-latent-codec} family of saved models: builds a {@link VqLatentCodec} from a {@link
 * VqLatentCodecSpec}. Registered in {@code META-INF/services/io.gen4j.core.model.ModelFamily}.
 */
public final class VqLatentCodecFamily implements ModelFamily<VqLatentCodecSpec> {

    @Override
    public String name() {
        return VqLatentCodecSpec.FAMILY;
    }

    @Override
    public Class<VqLatentCodecSpec> specType() {
        return VqLatentCodecSpec.class;
    }

    @Override
    public SaveableModel create(VqLatentCodecSpec spec, NDManager manager) {
        return VqLatentCodec.create(spec, manager);
    }
}
