package io.gen4j.core.runtime;

import java.util.Locale;

/**
 * How gen4j protects convolutions from the oneDNN bug of some AVX-512/AVX2 CPUs (docs/known-issues.md §1):
 * wrong input gradients when out-channels are not a multiple of 16, wrong forward results when
 * in-channels are at least 16 and not a multiple of 16.
 */
public enum ConvGuardMode {
    /** Convolutions run as they are: the self-test found the engine's kernels correct. */
    NONE,
    /**
     * Channels are padded with zeros to the next multiple of 16 (out-channels always, in-channels
     * when at least 16) and the extra output channels are sliced off. Correct at full speed.
     */
    PAD_CHANNELS,
    /**
     * {@code ONEDNN_MAX_CPU_ISA=SSE41} is put into the process environment before the first
     * convolution, so oneDNN uses its SSE4.1 kernels. Correct but 2-3x slower on conv-heavy models.
     */
    REDUCED_ISA;

    /**
     * Parses a user-facing name: {@code none}, {@code pad} (or {@code pad-channels}), {@code
     * reduced-isa}.
     *
     * @param text the name, case-insensitive
     * @return the mode
     * @throws IllegalArgumentException for anything else
     */
    public static ConvGuardMode parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        switch (s) {
            case "none":
            case "off":
                return NONE;
            case "pad":
            case "pad-channels":
                return PAD_CHANNELS;
            case "reduced-isa":
            case "isa":
            case "sse41":
                return REDUCED_ISA;
            default:
                throw new IllegalArgumentException(
                        "conv guard must be one of auto, none, pad, reduced-isa; got '" + text + "'");
        }
    }
}
