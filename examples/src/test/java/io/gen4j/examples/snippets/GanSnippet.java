package io.gen4j.examples.snippets;

// snippet:begin
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.DatasetResolver;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.data.Split;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.runtime.EngineInfo;
import io.gen4j.core.runtime.Seeds;
import io.gen4j.core.train.Fit;
import io.gen4j.gans.GanModel;
import io.gen4j.gans.GanPreset;
import io.gen4j.gans.GanProgress;
import io.gen4j.gans.GanRecipe;
import io.gen4j.gans.GanTraining;
import java.nio.file.Path;

/** The DCGAN of topic 11-03 on FashionMNIST from your own code: data, training, saving, loading, samples. */
public final class GanSnippet {

    /**
     * @param data a folder with FashionMNIST's IDX files, or null for the usual places
     *     (~/.gen4j/datasets, Debian's dataset-fashion-mnist)
     * @param preset the networks and their training, e.g. {@code GanPreset.dcganFashionMnist()}
     * @param out where the model is saved
     * @param seed the seed of everything random
     * @return a check without a feature extractor: the mean absolute difference per pixel between the
     *     mean of 500 samples and the mean of the test images, in [−1, 1] units
     */
    public static double fit(Path data, GanPreset preset, Path out, long seed) throws Exception {
        EngineInfo.start(2); // the engine: 2 intra-op threads, quiet native logs
        DatasetResolver datasets = DatasetResolver.defaults();
        ImageDataset train = datasets.load(DatasetId.FASHION_MNIST, Split.TRAIN, data);
        ImageDataset test = datasets.load(DatasetId.FASHION_MNIST, Split.TEST, data);
        GanRecipe training = preset.training();

        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Seeds.seedEngine(seed); // the initial weights
            GanModel model = GanModel.create(preset.spec(), manager); // both networks' parameters live here
            GanTraining.Step step = training.step(model); // D and G updates, two Adams, the generator's EMA
            Fit.builder().setStep(step).setManager(manager)
                    .setSource(train.batches(training.batchSize(), seed, true, PixelRange.MINUS_ONE_ONE))
                    .optTotalSteps(training.steps()).optSeed(seed)
                    .addListener(new GanProgress(System.err, Math.max(1, training.steps() / 10)))
                    .build().run();
            if (step.generatorEma() != null) {
                step.generatorEma().copyTo(model.generator()); // sample and save the averaged generator
            }
            ModelStore.save(model, out); // model.json + parameters.bin (G and D)

            try (NDManager scope = manager.newSubManager()) { // arrays made here are freed at the end
                GanModel loaded = ModelStore.load(out, scope, GanModel.class);
                Seeds.seedEngine(seed + 1);
                NDArray samples = loaded.sample(scope, 500, SampleOptions.defaults()); // (500, 1, 28, 28) in [-1, 1]
                NDArray real = test.subset(0, Math.min(500, test.size())).toNDArray(scope, PixelRange.MINUS_ONE_ONE);
                return samples.mean(new int[] {0}).sub(real.mean(new int[] {0})).abs().mean().getFloat();
            }
        }
    }
}
// snippet:end
