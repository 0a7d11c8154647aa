package io.gen4j.autoencoders;

import io.gen4j.core.data.PixelRange;
import io.gen4j.core.model.DataSpec;

/** Validation shared by the model specs of this package; messages name the bad value. */
final class SpecChecks {

    private SpecChecks() {}

    /**
     * @param value a spec component
     * @param name its name
     * @throws IllegalArgumentException when it is null
     */
    static void present(Object value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must be set, got null");
        }
    }

    /**
     * A Bernoulli decoder or a BCE loss scores targets in [0, 1]: image data must use that range.
     *
     * @param data the data
     * @param what the likelihood or loss, for the message
     * @throws IllegalArgumentException when the images are in another range
     */
    static void unitPixels(DataSpec data, String what) {
        if (data.isImage() && data.pixels() != PixelRange.ZERO_ONE) {
            throw new IllegalArgumentException(what + " models pixels in [0, 1]: data must use PixelRange.ZERO_ONE, got "
                    + data.pixels());
        }
    }
}
