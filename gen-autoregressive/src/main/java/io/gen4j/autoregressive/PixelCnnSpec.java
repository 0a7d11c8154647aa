package io.gen4j.autoregressive;

import io.gen4j.core.data.PixelRange;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.ModelSpec;
import java.util.Objects;

/**
 * Everything that rebuilds a {@link PixelCnnModel} (family {@code pixelcnn}): the configuration and
 * the data, one-channel images of the configured size in [0, 1] (binary for Bernoulli outputs,
 * k/255 otherwise).
 *
 * @param config the hyperparameters
 * @param data {@code DataSpec.image(1, H, W, ZERO_ONE)}
 */
public record PixelCnnSpec(PixelCnnConfig config, DataSpec data) implements ModelSpec {

    /** The family name in model.json. */
    public static final String FAMILY = "pixelcnn";

    /** Validates. */
    public PixelCnnSpec {
        Objects.requireNonNull(config, "config");
        DataSpec expected = DataSpec.image(1, config.height(), config.width(), PixelRange.ZERO_ONE);
        if (!expected.equals(data)) {
            throw new IllegalArgumentException("data must be " + expected + ", got " + data);
        }
    }

    /**
     * @param config the hyperparameters
     * @return the spec with the data the config implies
     */
    public static PixelCnnSpec of(PixelCnnConfig config) {
        return new PixelCnnSpec(config, DataSpec.image(1, config.height(), config.width(), PixelRange.ZERO_ONE));
    }

    @Override
    public String family() {
        return FAMILY;
    }
}
