package io.gen4j.diffusion.latent;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.model.LatentCodec;
import io.gen4j.core.model.ModelFamily;
import io.gen4j.core.model.ModelSpec;
import io.gen4j.core.model.SaveableModel;
import io.gen4j.core.nn.SpatialTransformer;
import io.gen4j.core.nn.UNet;
import io.gen4j.diffusion.text.TextEncoder;

/**
 * Builds {@link LatentDiffusionModel}s from their {@link LatentDiffusionSpec}: the {@code
 * latent-diffusion} family, registered in {@code META-INF/services/io.gen4j.core.model.ModelFamily}.
 * The codec is rebuilt through the family its spec names (found with {@link ModelStore#families()}),
 * so that family must be on the class path when a model is loaded.
 */
public final class LatentDiffusionFamily implements ModelFamily<LatentDiffusionSpec> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return LatentDiffusionSpec.FAMILY;
    }

    @Override
    public Class<LatentDiffusionSpec> specType() {
        return LatentDiffusionSpec.class;
    }

    @Override
    public LatentDiffusionModel create(LatentDiffusionSpec spec, NDManager manager) {
        return create(spec, createCodec(spec.codec(), manager), manager);
    }

    /**
     * Builds a fresh latent U-Net (and text encoder) around a given, usually trained, codec.
     *
     * @param spec the description; its {@code codec} must describe {@code codec}
     * @param codec the codec, a {@link LatentCodec}
     * @param manager the manager of the new parameters
     * @return the model
     */
    public static LatentDiffusionModel create(LatentDiffusionSpec spec, SaveableModel codec, NDManager manager) {
        if (!(codec instanceof LatentCodec c)) {
            throw new IllegalArgumentException("the codec must be a LatentCodec, got " + codec.getClass().getName());
        }
        if (!LatentDiffusionModel.codecOf(codec).equals(spec.codec())) {
            throw new IllegalArgumentException("the spec describes the codec " + spec.codec() + ", not " + codec.spec());
        }
        Shape latent = c.latentShape();
        UNet unet = new UNet(spec.unet(), SpatialTransformer.factory());
        TextEncoder text = spec.text() == null ? null : new TextEncoder(spec.text().encoder());
        LatentDiffusionNetwork network = new LatentDiffusionNetwork(unet, text);
        Shape z = new Shape(1).addAll(latent);
        if (text == null) {
            network.initialize(manager, DataType.FLOAT32, z, new Shape(1));
        } else {
            Shape tokens = new Shape(1, spec.text().tokenizer().length());
            network.initialize(manager, DataType.FLOAT32, z, new Shape(1), tokens, tokens);
        }
        return new LatentDiffusionModel(spec, network, codec);
    }

    /**
     * @param codec a codec's family and spec
     * @param manager the manager of its parameters
     * @return a freshly initialised codec of that family
     * @throws IllegalArgumentException when the family is not registered, the spec does not parse, or
     *     the model is not a {@link LatentCodec}
     */
    @SuppressWarnings("unchecked")
    public static SaveableModel createCodec(LatentDiffusionSpec.Codec codec, NDManager manager) {
        ModelFamily<ModelSpec> family = (ModelFamily<ModelSpec>) ModelStore.families().get(codec.family());
        if (family == null) {
            throw new IllegalArgumentException("no model family '" + codec.family() + "' is registered for the codec; "
                    + "registered: " + ModelStore.families().keySet() + " (put the codec's module on the class path)");
        }
        ModelSpec spec;
        try {
            spec = JSON.treeToValue(codec.spec(), family.specType());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the codec spec is not a valid '" + codec.family() + "' spec: "
                    + e.getOriginalMessage(), e);
        }
        SaveableModel model = family.create(spec, manager);
        if (!(model instanceof LatentCodec)) {
            throw new IllegalArgumentException("the '" + codec.family() + "' family does not build a LatentCodec");
        }
        return model;
    }
}
