package io.gen4j.examples.snippets;

// snippet:begin
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.gen4j.autoencoders.ConditionalVaeModel;
import io.gen4j.autoencoders.ConditionalVaePreset;
import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.DatasetResolver;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.data.Split;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.runtime.EngineInfo;
import io.gen4j.core.runtime.Seeds;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.ProgressBar;
import io.gen4j.core.train.TrainingRecipe;
import java.nio.file.Path;

/** The conditional VAE of topic 11-04 from your own code: labelled data, training, samples per class, saving. */
public final class CvaeSnippet {

    /**
     * @param data a folder with FashionMNIST's IDX files, or null for the usual places
     * @param preset the model and its training, e.g. {@code ConditionalVaePreset.classes28()}
     * @param out where the model is saved
     * @param seed the seed of everything random
     * @return the fraction of classes whose mean sample image is nearest to that class's mean test image
     *     (among the classes' mean test images): 1 when every label steers the samples to its class
     */
    public static double fit(Path data, ConditionalVaePreset preset, Path out, long seed) throws Exception {
        EngineInfo.start(2); // the engine: 2 intra-op threads, quiet native logs
        DatasetResolver datasets = DatasetResolver.defaults();
        ImageDataset train = datasets.load(DatasetId.FASHION_MNIST, Split.TRAIN, data);
        ImageDataset test = datasets.load(DatasetId.FASHION_MNIST, Split.TEST, data);
        preset = preset.withClasses(train.numClasses()); // your labels: 0 .. K-1
        TrainingRecipe training = preset.training();

        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Seeds.seedEngine(seed); // the initial weights
            ConditionalVaeModel model = ConditionalVaeModel.create(preset.spec(), manager);
            // the ELBO of p(x | z, y) q(z | x, y) with the learned prior p(z | y); batches are (images, labels)
            ObjectiveStep step = training.step(model.network().objective()).optName("cvae").build();
            Fit.builder().setStep(step).setManager(manager)
                    .setSource(train.batches(training.batchSize(), seed, true, PixelRange.ZERO_ONE))
                    .optTotalSteps(training.steps()).optSeed(seed)
                    .addListener(ProgressBar.create(System.err))
                    .build().run();
            ModelStore.save(model, out); // model.json + parameters.bin

            try (NDManager scope = manager.newSubManager()) { // arrays made here are freed at the end
                GenerativeModel loaded = ModelStore.load(out, scope, GenerativeModel.class);
                int k = train.numClasses();
                NDList sampleMeans = new NDList();
                NDList testMeans = new NDList();
                for (int c = 0; c < k; c++) {
                    // 50 samples of class c: SampleOptions' label is the y every sample is conditioned on
                    NDArray x = loaded.sample(scope, 50, SampleOptions.defaults().withLabel(c)); // (50, 1, 28, 28)
                    sampleMeans.add(x.reshape(50, -1).mean(new int[] {0}));
                    NDArray real = test.ofClass(c).toNDArray(scope, PixelRange.ZERO_ONE);
                    testMeans.add(real.reshape(real.getShape().get(0), -1).mean(new int[] {0}));
                }
                // squared distances (K, K) between every class's mean sample and every class's mean test image
                NDArray d = NDArrays.stack(sampleMeans).expandDims(1).sub(NDArrays.stack(testMeans).expandDims(0))
                        .square().sum(new int[] {2});
                long[] nearest = d.argMin(1).toLongArray();
                int hits = 0;
                for (int c = 0; c < k; c++) {
                    hits += nearest[c] == c ? 1 : 0;
                }
                return hits / (double) k;
            }
        }
    }
}
// snippet:end
