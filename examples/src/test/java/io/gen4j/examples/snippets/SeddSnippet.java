package io.gen4j.examples.snippets;

// snippet:begin
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.model.Likelihoods;
import io.gen4j.core.runtime.EngineInfo;
import io.gen4j.core.runtime.Seeds;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.ProgressBar;
import io.gen4j.core.train.TrainingRecipe;
import io.gen4j.diffusion.discrete.AnalyticSampler;
import io.gen4j.diffusion.discrete.SeddModel;
import io.gen4j.diffusion.discrete.SeddPreset;
import io.gen4j.diffusion.discrete.TextCorpus;
import io.gen4j.diffusion.discrete.TokenCondition;
import io.gen4j.diffusion.discrete.TokenWindows;
import java.nio.file.Path;
import java.util.List;

/** SEDD (score entropy discrete diffusion) of topic 11-05-sedd from your own code, on any UTF-8 text file. */
public final class SeddSnippet {

    /**
     * @param bound the SEDD bound on the test text, bits per character (an upper bound on the model's NLL)
     * @param unigram the cross-entropy of the training text's character frequencies on the same test text
     * @param samples unconditional samples, 128 analytic steps
     * @param given a test window with its middle removed ('_')
     * @param infill the same window with the middle filled by the model
     */
    public record Result(double bound, double unigram, List<String> samples, String given, String infill) {}

    /**
     * @param textFile any UTF-8 text: its characters are the tokens, the first 90 % trains, the rest tests
     * @param steps training updates (the preset's own, {@code SeddPreset.characters}, are the topic's 2000)
     * @param out where the model is saved
     * @param seed the seed of everything random
     * @return the bound against the unigram level, samples and an infill, from the saved and reloaded model
     */
    public static Result fit(Path textFile, long steps, Path out, long seed) throws Exception {
        EngineInfo.start(2); // the engine: 2 intra-op threads, quiet native logs
        TextCorpus text = TextCorpus.read(textFile);
        TextCorpus[] split = text.split(0.9); // by position: the test text is never seen in training
        SeddPreset preset = SeddPreset.characters(text.alphabet().characters()); // L = 32 characters
        TrainingRecipe training = preset.training().withSteps(steps);
        int length = preset.sedd().network().length();

        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Seeds.seedEngine(seed); // the initial weights
            SeddModel model = preset.createSedd(manager);
            // score entropy with the absorbing (mask) process; batches are random windows of the training text
            ObjectiveStep step = training.step(model.objective(preset.tMin())).optName("sedd").build();
            Fit.builder().setStep(step).setManager(manager)
                    .setSource(new TokenWindows(split[0].tokens(), length, training.batchSize(), seed))
                    .optTotalSteps(training.steps()).optSeed(seed)
                    .addListener(ProgressBar.create(System.err))
                    .build().run();
            ModelStore.save(model, out); // model.json (with the alphabet) + parameters.bin

            try (NDManager scope = manager.newSubManager()) { // arrays made here are freed at the end
                SeddModel loaded = ModelStore.load(out, scope, SeddModel.class);
                long[][] windows = split[1].windows(length, 64);
                long[] flat = new long[windows.length * length];
                for (int w = 0; w < windows.length; w++) {
                    System.arraycopy(windows[w], 0, flat, w * length, length);
                }
                NDArray x = scope.create(flat, new Shape(windows.length, length));
                // logLikelihood is minus the diffusion ELBO (a stochastic lower bound on log p(x)), in nats
                double bound = Likelihoods.meanBitsPerDim(loaded.logLikelihood(x).toDoubleArray(), length, 1.0);

                // the unigram level: training-text character frequencies (add-0.5), cross-entropy on the same windows
                double[] counts = new double[text.alphabet().size()];
                for (int token : split[0].tokens()) {
                    counts[token]++;
                }
                double unigram = 0;
                for (long token : flat) {
                    unigram -= Math.log((counts[(int) token] + 0.5) / (split[0].size() + 0.5 * counts.length))
                            / Math.log(2) / flat.length;
                }

                List<String> samples = List.of(loaded.decode(loaded.sample(scope, 3, 128, new AnalyticSampler(),
                        TokenCondition.none(), false).samples()));
                // infilling: the first and last quarters are given (held fixed), -1 marks what the model fills
                int[] given = new int[length];
                long[] shown = new long[length];
                for (int i = 0; i < length; i++) {
                    boolean kept = i < length / 4 || i >= length - length / 4;
                    given[i] = kept ? (int) windows[0][i] : -1;
                    shown[i] = kept ? windows[0][i] : Integer.MAX_VALUE; // decoded as '_'
                }
                String infill = loaded.decode(loaded.sample(scope, 1, 64, new AnalyticSampler(),
                        TokenCondition.of(scope, given), false).samples())[0];
                return new Result(bound, unigram, samples, loaded.decode(scope.create(shown))[0], infill);
            }
        }
    }
}
// snippet:end
