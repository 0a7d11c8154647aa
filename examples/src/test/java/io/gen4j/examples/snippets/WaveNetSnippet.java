package io.gen4j.examples.snippets;

// snippet:begin
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.autoregressive.WaveNetModel;
import io.gen4j.autoregressive.WaveNetPreset;
import io.gen4j.core.data.BatchOrder;
import io.gen4j.core.data.TensorBatches;
import io.gen4j.core.data.audio.SineMixture;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.runtime.EngineInfo;
import io.gen4j.core.runtime.Seeds;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.ProgressBar;
import io.gen4j.core.train.TrainingRecipe;
import io.gen4j.core.viz.WavWriter;
import java.nio.file.Path;

/**
 * Topic 11-10's WaveNet on your own audio clips: training, the exact NLL of held-out clips, generated audio
 * as a WAV file, saving and loading. The clips are mono samples in [−1, 1] at the preset's sample rate
 * (gen4j has no WAV reader; {@link #topicClips} makes the topic's synthetic sine mixtures).
 */
public final class WaveNetSnippet {

    /**
     * The exact NLL of the held-out clips' μ-law classes, per sample.
     *
     * @param natsPerSample nats per sample of the trained model
     * @param natsPerSampleAfterLoad the same, computed by the model loaded back from disk
     */
    public record Result(double natsPerSample, double natsPerSampleAfterLoad) {}

    /**
     * @param train training clips, all of the same length L
     * @param test held-out clips of length L
     * @param preset the model and its training, e.g. {@code WaveNetPreset.audio4k()}
     * @param out where the model is saved; the generated audio goes next to it, {@code <out>-sample.wav}
     * @param seed the seed of everything random
     * @return the test NLL before saving and after loading
     */
    public static Result fit(float[][] train, float[][] test, WaveNetPreset preset, Path out, long seed)
            throws Exception {
        EngineInfo.start(2); // the engine: 2 intra-op threads, quiet native logs (the canary runs at the first conv)
        TrainingRecipe training = preset.training();
        int length = train[0].length;
        double nats;

        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Seeds.seedEngine(seed); // the initial weights
            WaveNetModel model = WaveNetModel.create(preset.spec(length), manager); // parameters in this manager
            // the exact NLL of the μ-law classes, in nats per sample
            ObjectiveStep step = training.step(model.objective()).optName("wavenet").build();
            TensorBatches clips = new TensorBatches(flat(train), new long[] {1, length}, null, // (B, 1, L)
                    new BatchOrder(train.length, training.batchSize(), seed, true));
            Fit.builder().setStep(step).setManager(manager)
                    .setSource(clips)
                    .optTotalSteps(training.steps()).optSeed(seed)
                    .addListener(ProgressBar.create(System.err))
                    .build().run();
            try (NDManager scope = manager.newSubManager()) { // arrays made here are freed at the end
                NDArray x = scope.create(flat(test), new Shape(test.length, 1, length));
                nats = -model.logLikelihood(x).mean().getFloat() / length; // Σ_t log p(c_t | c_<t), exact
            }
            ModelStore.save(model, out); // model.json + parameters.bin
        }

        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            WaveNetModel model = ModelStore.load(out, manager, WaveNetModel.class); // as another program would
            try (NDManager scope = manager.newSubManager()) {
                int samples = preset.sampleRate() / 4; // a quarter of a second
                NDArray audio = model.sample(scope, 1, samples, 1.0, true); // cached generator; (1, 1, samples)
                Path wav = out.resolveSibling(out.getFileName() + "-sample.wav");
                WavWriter.writeMono16(audio.toFloatArray(), preset.sampleRate(), wav); // 16-bit mono PCM
                NDArray x = scope.create(flat(test), new Shape(test.length, 1, length));
                double afterLoad = -model.logLikelihood(x).mean().getFloat() / length;
                System.out.printf("test NLL %.4f nats per sample (%.4f bits), after loading %.4f; %s%n", nats,
                        nats / Math.log(2), afterLoad, wav);
                return new Result(nats, afterLoad);
            }
        }
    }

    /**
     * The topic's synthetic audio: mixtures of two sines of 110–440 Hz (log-uniform), amplitudes summing to
     * 0.8, noise 0.01.
     *
     * @param count clips
     * @param sampleRate samples per second
     * @param seconds length of each clip
     * @param seed the seed of the clips
     * @return count clips of sampleRate·seconds samples in [−1, 1]
     */
    public static float[][] topicClips(int count, int sampleRate, double seconds, long seed) {
        float[][] clips = new float[count][];
        for (int i = 0; i < count; i++) {
            clips[i] = SineMixture.random(sampleRate, seconds, 2, 110, 440, 0.8, 0.01, Seeds.derive(seed, i)).render();
        }
        return clips;
    }

    private static float[] flat(float[][] clips) {
        int length = clips[0].length;
        float[] flat = new float[clips.length * length];
        for (int i = 0; i < clips.length; i++) {
            if (clips[i].length != length) {
                throw new IllegalArgumentException("clip " + i + " has " + clips[i].length + " samples, expected " + length);
            }
            System.arraycopy(clips[i], 0, flat, i * length, length);
        }
        return flat;
    }
}
// snippet:end
