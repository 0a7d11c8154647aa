package io.gen4j.diffusion.discrete;

import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.ModelSpec;
import java.util.Objects;

/**
 * Everything that rebuilds an {@link AutoregressiveTransformerModel}, the autoregressive baseline of
 * the discrete diffusion models: a causal {@link TokenTransformer} over N tokens plus a start token.
 * Saved as the {@code spec} of {@code model.json} (family {@code autoregressive-transformer}).
 *
 * @param network the transformer: causal, not time-conditioned, N + 1 inputs (token N is the start),
 *     N outputs, length L
 * @param alphabet one code point per token, or "" when the tokens are not characters
 * @param data {@code DataSpec.vector(L)}; samples are token ids (as float32)
 */
public record AutoregressiveTransformerSpec(TransformerConfig network, String alphabet, DataSpec data)
        implements ModelSpec {

    /** The family name in model.json. */
    public static final String FAMILY = "autoregressive-transformer";

    /** Validates. */
    public AutoregressiveTransformerSpec {
        Objects.requireNonNull(network, "network");
        alphabet = alphabet == null ? "" : alphabet;
        if (!network.causal() || network.timeConditioned()) {
            throw new IllegalArgumentException("the autoregressive model needs a causal transformer without time");
        }
        if (network.inputStates() != network.outputs() + 1) {
            throw new IllegalArgumentException("the transformer must take N + 1 states (a start token) and give N, got "
                    + network.inputStates() + " in, " + network.outputs() + " out");
        }
        if (data == null || data.isImage() || data.shape().length != 1 || data.shape()[0] != network.length()) {
            throw new IllegalArgumentException("data must be sequences of the transformer's length " + network.length()
                    + ", got " + data);
        }
        if (!alphabet.isEmpty() && alphabet.codePointCount(0, alphabet.length()) != network.outputs()) {
            throw new IllegalArgumentException("the alphabet must have one code point per token");
        }
    }

    /**
     * @param alphabet the tokens as characters
     * @param length L
     * @param width D
     * @param depth layers
     * @param heads attention heads
     * @return the spec
     */
    public static AutoregressiveTransformerSpec of(String alphabet, int length, int width, int depth, int heads) {
        int n = alphabet.codePointCount(0, alphabet.length());
        return new AutoregressiveTransformerSpec(new TransformerConfig(n + 1, n, length, width, depth, heads, true,
                false), alphabet, DataSpec.vector(length));
    }

    /** @return N */
    public int tokens() {
        return network.outputs();
    }

    @Override
    public String family() {
        return FAMILY;
    }
}
