package io.gen4j.autoregressive;

import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.ModelSpec;
import java.util.Objects;

/**
 * Everything that rebuilds a {@link MadeModel} (family {@code made}): the MADE's hyperparameters
 * (masks included, through their seed) and the data, vectors of D numbers or images of D pixels that
 * the model sees flattened in raster order (binarised images: pixels 0 or 1 in {@code ZERO_ONE}).
 *
 * @param config the hyperparameters
 * @param data the data, of {@code config.dims()} numbers per example
 */
public record MadeSpec(MadeConfig config, DataSpec data) implements ModelSpec {

    /** The family name in model.json. */
    public static final String FAMILY = "made";

    /** Validates. */
    public MadeSpec {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(data, "data");
        if (data.size() != config.dims()) {
            throw new IllegalArgumentException("data must have " + config.dims() + " numbers per example, got " + data);
        }
    }

    @Override
    public String family() {
        return FAMILY;
    }
}
