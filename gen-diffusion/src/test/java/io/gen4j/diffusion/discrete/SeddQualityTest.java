package io.gen4j.diffusion.discrete;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.train.Adam;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.Objective;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.TrainTestSupport;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Quality guard (run with -Pquality): on the Markov language of {@link SeddBoundTest}, a longer
 * seeded training brings the SEDD bound and the autoregressive baseline's exact NLL close to the
 * entropy, 1.603 bits/token (the SEDD here is the topic's: the normalised reading without the time
 * input, which reaches the guard in half the steps of SEDD's reading with the time input; the
 * variants are compared in docs/topics/11-05-sedd.md §9.1).
 */
@Tag("quality")
class SeddQualityTest {

    static final int LENGTH = 16;

    static double train(boolean diffusion, long steps) {
        MarkovLanguage language = MarkovLanguage.randomSparse(6, 3, 31);
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(41);
            SeddModel sedd = null;
            AutoregressiveTransformerModel ar = null;
            Objective objective;
            if (diffusion) {
                sedd = SeddModel.create(new SeddSpec(new TransformerConfig(7, 7, LENGTH, 32, 2, 2, false, false),
                        AbsorbingProcess.normalized(6), LogLinearNoise.complete(), "abcdef", DataSpec.vector(LENGTH),
                        new SeddSpec.Sampling(16, SamplerKind.ANALYTIC), 32), m);
                objective = sedd.objective(1e-3);
            } else {
                ar = AutoregressiveTransformerModel.create(AutoregressiveTransformerSpec.of("abcdef", LENGTH, 32, 2, 2), m);
                objective = ar.objective();
            }
            ObjectiveStep step = ObjectiveStep.builder().setObjective(objective).setOptimizer(Adam.factory(
                    LearningRateSchedule.cosine(5e-3, 5e-4, 100, steps), AdamConfig.defaults())).optClipNorm(1).build();
            Fit.builder().setStep(step).setSource(new TokenWindows(language.stream(100_000, 42), LENGTH, 64, 43))
                    .setManager(m).optTotalSteps(steps).optSeed(44).build().run();
            long[][] test = new TextCorpus(Alphabet.of("abcdef"), language.stream(512 * LENGTH, 45)).windows(LENGTH, 512);
            Engine.getInstance().setRandomSeed(46);
            NDArray x = m.create(SeddBoundTest.flatten(test), new Shape(test.length, LENGTH));
            double[] ll = diffusion ? sedd.logLikelihood(x).toDoubleArray() : ar.logLikelihood(x).toDoubleArray();
            return -SeddBoundTest.mean(ll) / LENGTH / Math.log(2);
        }
    }

    @Test
    void boundAndBaselineApproachTheEntropy() {
        double truth = MarkovLanguage.randomSparse(6, 3, 31).sequenceEntropy(LENGTH) / LENGTH / Math.log(2);
        double[] v = new double[2];
        long t0 = System.nanoTime();
        TrainTestSupport.withOneThread(() -> {
            v[0] = train(true, 1000);
            v[1] = train(false, 600);
        });
        // SEDD measured 2026-12-02 (session 7) with the topic's variant, normalised reading without the time
        // input, 1000 steps: 1.6417 (+0.038), 24.7 s of training-thread CPU (one thread, load ~15); SEDD's
        // reading with the time input needed 2000 steps and 53 s CPU for 1.6328 (+0.030), 1.6778 before rotary
        // embeddings. Baseline 600 steps (2026-12-02, 12 s CPU): 1.6095 (+0.006). Guards: SEDD < entropy +
        // 0.08, baseline < entropy + 0.03, neither below entropy - 0.02.
        String message = String.format(Locale.ROOT, "Markov language (entropy %.4f bits/token): SEDD bound %.4f "
                + "(measured 1.6417, bound entropy + 0.08), autoregressive %.4f (measured 1.6095, bound entropy + 0.03), "
                + "neither below entropy − 0.02 (%.1f s)", truth, v[0], v[1], (System.nanoTime() - t0) / 1e9);
        System.out.println(message);
        assertTrue(v[0] > truth - 0.02 && v[0] < truth + 0.08, message);
        assertTrue(v[1] > truth - 0.02 && v[1] < truth + 0.03, message);
    }

    /**
     * On a language whose unigram entropy H(π) is far above its entropy, the bound must leave the
     * unigram plateau: 300 steps, L = 32, 8 symbols. Without rotary position embeddings (before
     * 2026-12-02) the bound sat at H(π): 2.89 after 600 steps, and its cross-entropy at t = 0.05 was
     * 2.88 against H(π) = 2.93.
     */
    @Test
    void theBoundLeavesTheUnigramPlateau() {
        MarkovLanguage language = MarkovLanguage.randomSparse(8, 3, 2);
        int length = 32;
        double unigram = 0;
        for (double p : language.stationary()) {
            unigram -= p * Math.log(p) / Math.log(2);
        }
        double truth = language.sequenceEntropy(length) / length / Math.log(2);
        double[] bound = new double[1];
        long t0 = System.nanoTime();
        TrainTestSupport.withOneThread(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                Engine.getInstance().setRandomSeed(2);
                SeddModel sedd = SeddModel.create(new SeddSpec(new TransformerConfig(9, 9, length, 32, 2, 2, false,
                        true), new AbsorbingProcess(8), LogLinearNoise.complete(), "abcdefgh", DataSpec.vector(length),
                        new SeddSpec.Sampling(64, SamplerKind.ANALYTIC), 32), m);
                ObjectiveStep step = ObjectiveStep.builder().setObjective(sedd.objective(1e-3)).setOptimizer(
                        Adam.factory(LearningRateSchedule.cosine(3e-3, 3e-4, 60, 300), AdamConfig.defaults()))
                        .optClipNorm(1).build();
                Fit.builder().setStep(step).setSource(new TokenWindows(language.stream(200_000, 3), length, 32, 5))
                        .setManager(m).optTotalSteps(300).optSeed(1).build().run();
                long[][] test = new TextCorpus(Alphabet.of("abcdefgh"), language.stream(512 * length, 4))
                        .windows(length, 512);
                NDArray x = m.create(SeddBoundTest.flatten(test), new Shape(test.length, length));
                Engine.getInstance().setRandomSeed(7);
                bound[0] = -SeddBoundTest.mean(sedd.logLikelihood(x).toDoubleArray()) / length / Math.log(2);
            }
        });
        // measured (2026-12-02, load ~30): unigram H(pi) 2.9300, entropy 1.5208, bound 2.6717; guard: below
        // H(pi) - 0.15 = 2.78 (the plateau of the old network, 2.89, fails it) and above entropy - 0.02
        String message = String.format(Locale.ROOT, "Markov language, L = 32: unigram %.4f, entropy %.4f, SEDD bound "
                + "%.4f after 300 steps (measured 2.6717; guard < unigram - 0.15) (%.1f s)", unigram, truth, bound[0],
                (System.nanoTime() - t0) / 1e9);
        System.out.println(message);
        assertTrue(bound[0] < unigram - 0.15 && bound[0] > truth - 0.02, message);
    }
}
