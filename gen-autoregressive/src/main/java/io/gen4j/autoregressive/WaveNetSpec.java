package io.gen4j.autoregressive;

import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.ModelSpec;
import java.util.Objects;

/**
 * Everything that rebuilds a {@link WaveNetModel} (family {@code wavenet}): the network, the μ of the
 * μ-law quantiser (classes − 1), the sample rate and the clip shape (1, L) its samples have.
 *
 * @param config the hyperparameters
 * @param sampleRate samples per second of the audio (for WAV files)
 * @param data {@code (1, L)}: mono clips of L samples in [−1, 1]
 */
public record WaveNetSpec(WaveNetConfig config, int sampleRate, DataSpec data) implements ModelSpec {

    /** The family name in model.json. */
    public static final String FAMILY = "wavenet";

    /** Validates. */
    public WaveNetSpec {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(data, "data");
        if (sampleRate < 1) {
            throw new IllegalArgumentException("sampleRate must be >= 1, got " + sampleRate);
        }
        if (data.shape().length != 2 || data.shape()[0] != 1 || data.isImage()) {
            throw new IllegalArgumentException("data must be mono clips of shape (1, L), got " + data);
        }
    }

    /**
     * @param config the hyperparameters
     * @param sampleRate samples per second
     * @param length L, samples per clip
     * @return the spec
     */
    public static WaveNetSpec of(WaveNetConfig config, int sampleRate, int length) {
        return new WaveNetSpec(config, sampleRate, new DataSpec(new long[] {1, length}, null));
    }

    /** @return L */
    public int length() {
        return (int) data.shape()[1];
    }

    @Override
    public String family() {
        return FAMILY;
    }
}
