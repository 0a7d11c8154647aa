package io.gen4j.diffusion.discrete;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.train.TrainingRecipe;
import java.util.Objects;

/**
 * SEDD on characters with its autoregressive baseline, and how to train them: the models of the
 * course's topic 11-05-sedd, so that code outside the CLI gets what the topic measured
 * (docs/topics/11-05-sedd.md §9).
 *
 * <p>The SEDD is the absorbing process with the normalised reading ({@link
 * AbsorbingProcess#normalized}), the complete log-linear schedule, no time input, the analytic
 * sampler with 128 steps and a bound over 32 times; the baseline is the causal transformer of the
 * same width, depth, heads and length. Both train with Adam on a cosine schedule (a tenth of the
 * peak at the end, a warm-up of a tenth of the run up to 100 updates, gradient norm clipped at 1),
 * on random windows of {@code sedd().network().length()} characters.
 *
 * <pre>
 *   TextCorpus text = TextCorpus.read(Path.of("book.txt"));
 *   SeddPreset preset = SeddPreset.characters(text.alphabet().characters());
 *   SeddModel sedd = preset.createSedd(manager);
 *   ObjectiveStep step = preset.training().step(sedd.objective(preset.tMin())).build();
 * </pre>
 *
 * @param sedd the SEDD model's description
 * @param baseline the autoregressive transformer of the same size
 * @param training SEDD's training; the topic gives the baseline {@link #baselineTraining} with the
 *     step count that costs the same CPU time
 * @param tMin the smallest training time of SEDD's objective, in [0, 1)
 */
public record SeddPreset(SeddSpec sedd, AutoregressiveTransformerSpec baseline, TrainingRecipe training,
        double tMin) {

    /** Validates. */
    public SeddPreset {
        Objects.requireNonNull(sedd, "sedd");
        Objects.requireNonNull(baseline, "baseline");
        Objects.requireNonNull(training, "training");
        if (!(tMin >= 0 && tMin < 1)) {
            throw new IllegalArgumentException("tMin must be in [0, 1), got " + tMin);
        }
        TransformerConfig s = sedd.network();
        TransformerConfig b = baseline.network();
        if (s.length() != b.length() || s.width() != b.width() || s.depth() != b.depth() || s.heads() != b.heads()
                || !sedd.alphabet().equals(baseline.alphabet())) {
            throw new IllegalArgumentException("SEDD and the baseline must have the same length, width, depth, heads "
                    + "and alphabet, got " + s + " and " + b);
        }
    }

    /**
     * Topic 11-05-sedd at the CPU profile: width 64, 2 layers, 4 heads, L = 32 characters, 2000 updates
     * of 64 windows at a peak rate of 4e-3.
     *
     * @param alphabet the characters of your text, one code point per token (e.g. {@code
     *     TextCorpus.alphabet().characters()})
     * @return the preset
     */
    public static SeddPreset characters(String alphabet) {
        return of(alphabet, 32, 64, 2, 4, 2000, 64, 4e-3);
    }

    /**
     * The same at the topic's GPU profile (not measured on this project's machines): width 384, 8
     * layers, 6 heads, L = 256, 50,000 updates of 64 windows at 3e-4.
     *
     * @param alphabet the characters of your text
     * @return the preset
     */
    public static SeddPreset charactersLong(String alphabet) {
        return of(alphabet, 256, 384, 8, 6, 50_000, 64, 3e-4);
    }

    /**
     * A preset of another size, built the same way.
     *
     * @param alphabet the characters, at least 1
     * @param length L
     * @param width D, even and divisible by heads
     * @param depth layers
     * @param heads attention heads
     * @param steps SEDD's updates
     * @param batch windows per update
     * @param learningRate the peak rate
     * @return the preset
     */
    public static SeddPreset of(String alphabet, int length, int width, int depth, int heads, long steps, int batch,
            double learningRate) {
        Objects.requireNonNull(alphabet, "alphabet");
        int n = alphabet.codePointCount(0, alphabet.length());
        if (n < 1) {
            throw new IllegalArgumentException("the alphabet must have at least one character");
        }
        AbsorbingProcess process = AbsorbingProcess.normalized(n);
        SeddSpec sedd = new SeddSpec(new TransformerConfig(process.states(), process.states(), length, width, depth,
                heads, false, false), process, LogLinearNoise.complete(), alphabet, DataSpec.vector(length),
                new SeddSpec.Sampling(128, SamplerKind.ANALYTIC), 32);
        return new SeddPreset(sedd, AutoregressiveTransformerSpec.of(alphabet, length, width, depth, heads),
                recipe(steps, batch, learningRate), 1e-3);
    }

    /**
     * @param steps the baseline's updates (the topic: as many as cost SEDD's CPU time)
     * @return the baseline's training: {@link #training()}'s batch and rates over that many steps
     */
    public TrainingRecipe baselineTraining(long steps) {
        return recipe(steps, training.batchSize(), training.learningRate());
    }

    /** @return a fresh SEDD model with this preset's spec (engine RNG) */
    public SeddModel createSedd(NDManager manager) {
        return SeddModel.create(sedd, manager);
    }

    /** @return a fresh baseline with this preset's spec (engine RNG) */
    public AutoregressiveTransformerModel createBaseline(NDManager manager) {
        return AutoregressiveTransformerModel.create(baseline, manager);
    }

    /**
     * @param recipe another training recipe for SEDD
     * @return a copy with it
     */
    public SeddPreset withTraining(TrainingRecipe recipe) {
        return new SeddPreset(sedd, baseline, recipe, tMin);
    }

    private static TrainingRecipe recipe(long steps, int batch, double rate) {
        return TrainingRecipe.of(steps, batch, rate, rate / 10, Math.min(100, steps / 10), 1);
    }
}
