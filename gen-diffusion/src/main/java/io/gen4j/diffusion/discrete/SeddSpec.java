package io.gen4j.diffusion.discrete;

import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.ModelSpec;
import java.util.Objects;

/**
 * Everything that rebuilds a {@link SeddModel}: the transformer, the forward process, the noise
 * schedule, the alphabet (token i is the i-th code point of {@code alphabet}, so samples can be
 * shown as text), the sequence length, and the default sampler. Saved as the {@code spec} of
 * {@code model.json} (family {@code sedd}).
 *
 * @param network the transformer: bidirectional, time-conditioned (optional for the absorbing process,
 *     whose ℓ estimates the time-free p_0(y | unmasked context)), {@code process.states()} inputs
 *     and outputs, length L
 * @param process the forward process
 * @param noise the schedule
 * @param alphabet one code point per token (N of them), or "" when the tokens are not characters
 * @param data sequences of L tokens: {@code DataSpec.vector(L)}; samples are token ids (as float32)
 * @param sampling the default sampler
 * @param likelihoodTimes the number of times K of {@link SeddModel#logLikelihood}'s bound
 */
public record SeddSpec(TransformerConfig network, DiscreteProcess process, NoiseLevel noise, String alphabet,
        DataSpec data, Sampling sampling, int likelihoodTimes) implements ModelSpec {

    /** The family name in model.json. */
    public static final String FAMILY = "sedd";

    /** Validates. */
    public SeddSpec {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(noise, "noise");
        Objects.requireNonNull(sampling, "sampling");
        alphabet = alphabet == null ? "" : alphabet;
        if (network.causal() || !network.timeConditioned() && !(process instanceof AbsorbingProcess)) {
            throw new IllegalArgumentException("SEDD needs a bidirectional transformer, time-conditioned unless the "
                    + "process is absorbing, got causal = " + network.causal() + ", timeConditioned = "
                    + network.timeConditioned() + " for " + process);
        }
        if (network.inputStates() != process.states() || network.outputs() != process.states()) {
            throw new IllegalArgumentException("the transformer must take and give the process's " + process.states()
                    + " states, got " + network.inputStates() + " in, " + network.outputs() + " out");
        }
        if (data == null || data.isImage() || data.shape().length != 1 || data.shape()[0] != network.length()) {
            throw new IllegalArgumentException("data must be sequences of the transformer's length " + network.length()
                    + ", got " + data);
        }
        if (!alphabet.isEmpty() && alphabet.codePointCount(0, alphabet.length()) != process.tokens()) {
            throw new IllegalArgumentException("the alphabet must have one code point per token (" + process.tokens()
                    + "), got " + alphabet.codePointCount(0, alphabet.length()));
        }
        if (likelihoodTimes < 1) {
            throw new IllegalArgumentException("likelihoodTimes must be >= 1, got " + likelihoodTimes);
        }
    }

    /**
     * The absorbing SEDD of the paper's text experiments: log-linear schedule masking everything at
     * t = 1, analytic sampler with 128 steps by default, a bound over 32 times.
     *
     * @param alphabet the tokens as characters
     * @param length L
     * @param width D
     * @param depth layers
     * @param heads attention heads
     * @return the spec
     */
    public static SeddSpec absorbing(String alphabet, int length, int width, int depth, int heads) {
        int n = alphabet.codePointCount(0, alphabet.length());
        AbsorbingProcess p = new AbsorbingProcess(n);
        return new SeddSpec(new TransformerConfig(p.states(), p.states(), length, width, depth, heads, false, true), p,
                LogLinearNoise.complete(), alphabet, DataSpec.vector(length),
                new Sampling(128, SamplerKind.ANALYTIC), 32);
    }

    @Override
    public String family() {
        return FAMILY;
    }

    /**
     * The sampler a saved model draws with when {@code SampleOptions} leave it to the model.
     *
     * @param steps network evaluations, at least 1
     * @param sampler which sampler
     */
    public record Sampling(int steps, SamplerKind sampler) {
        /** Validates. */
        public Sampling {
            if (steps < 1) {
                throw new IllegalArgumentException("steps must be >= 1, got " + steps);
            }
            Objects.requireNonNull(sampler, "sampler");
        }
    }
}
