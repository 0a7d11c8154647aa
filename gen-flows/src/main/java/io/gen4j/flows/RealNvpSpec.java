package io.gen4j.flows;

import io.gen4j.core.data.PixelRange;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.ModelSpec;
import java.util.Objects;

/**
 * Everything that rebuilds a {@link RealNvpModel}: the vector or the image configuration of {@link
 * RealNvp}, the kind of coupling, and the data. Saved as the {@code spec} of {@code model.json}
 * (family {@code realnvp}, docs/model-format.md). A flow made with a user's own {@link
 * CouplingFactory} cannot be described here: save it through a family of its own.
 *
 * @param vector the configuration of a flow for vectors, or null for images
 * @param image the configuration of a multi-scale flow for images, or null for vectors
 * @param coupling which built-in coupling the flow uses
 * @param data the data: vectors of {@code vector.dims()} numbers, or images in [0, 1] of the image
 *     configuration's shape
 */
public record RealNvpSpec(RealNvp.VectorConfig vector, RealNvp.ImageConfig image, Coupling coupling, DataSpec data)
        implements ModelSpec {

    /** The family name in model.json. */
    public static final String FAMILY = "realnvp";

    /** The built-in couplings. */
    public enum Coupling {
        /** RealNVP's affine coupling (Dinh et al. 2017): {@link CouplingFactory#affineMlp} / {@link CouplingFactory#affineResidual}. */
        AFFINE,
        /** NICE's additive coupling (Dinh et al. 2015), log-det 0. */
        ADDITIVE
    }

    /** Validates. */
    public RealNvpSpec {
        Objects.requireNonNull(coupling, "coupling");
        Objects.requireNonNull(data, "data");
        if ((vector == null) == (image == null)) {
            throw new IllegalArgumentException("exactly one of vector and image must be set");
        }
        DataSpec expected = vector != null ? DataSpec.vector(vector.dims())
                : DataSpec.image(image.channels(), image.height(), image.width(), PixelRange.ZERO_ONE);
        if (!expected.equals(data)) {
            throw new IllegalArgumentException("data must be " + expected + " for this configuration, got " + data);
        }
    }

    /**
     * @param config a vector configuration
     * @return the spec of {@code RealNvp.vector(config)}
     */
    public static RealNvpSpec vector(RealNvp.VectorConfig config) {
        return new RealNvpSpec(config, null, Coupling.AFFINE, DataSpec.vector(config.dims()));
    }

    /**
     * @param config an image configuration
     * @return the spec of {@code RealNvp.image(config)}: 8-bit images as k/255 in [0, 1]
     */
    public static RealNvpSpec image(RealNvp.ImageConfig config) {
        return new RealNvpSpec(null, config, Coupling.AFFINE,
                DataSpec.image(config.channels(), config.height(), config.width(), PixelRange.ZERO_ONE));
    }

    /**
     * @param newCoupling a built-in coupling
     * @return this spec with that coupling
     */
    public RealNvpSpec withCoupling(Coupling newCoupling) {
        return new RealNvpSpec(vector, image, newCoupling, data);
    }

    @Override
    public String family() {
        return FAMILY;
    }

    /** @return a new, uninitialised flow of this description */
    public NormalizingFlow build() {
        if (vector != null) {
            return RealNvp.vector(vector, coupling == Coupling.AFFINE
                    ? CouplingFactory.affineMlp(vector.hidden(), vector.layers())
                    : CouplingFactory.additiveMlp(vector.hidden(), vector.layers()));
        }
        return RealNvp.image(image, coupling == Coupling.AFFINE
                ? CouplingFactory.affineResidual(image.hidden(), image.resBlocks(), image.groups())
                : CouplingFactory.additiveResidual(image.hidden(), image.resBlocks(), image.groups()));
    }
}
