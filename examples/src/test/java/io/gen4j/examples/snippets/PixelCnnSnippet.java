package io.gen4j.examples.snippets;

// snippet:begin
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.gen4j.autoregressive.PixelCnnModel;
import io.gen4j.autoregressive.PixelCnnPreset;
import io.gen4j.autoregressive.PixelCnnSpec;
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
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.ProgressBar;
import io.gen4j.core.train.TrainingRecipe;
import java.nio.file.Path;

/** Topic 11-10's PixelCNN on binarised FashionMNIST from your own code: data, training, saving, samples, exact NLL. */
public final class PixelCnnSnippet {

    /**
     * @param data a folder with FashionMNIST's IDX files, or null for the usual places
     *     (~/.gen4j/datasets, Debian's dataset-fashion-mnist)
     * @param preset the model and its training, e.g. {@code PixelCnnPreset.binarized28()} (for MADE the same
     *     steps with {@code MadePreset}, {@code MadeModel.create(new MadeSpec(...))} and {@code model.objective()})
     * @param out where the model is saved
     * @param seed the seed of everything random
     * @return the exact test NLL in nats per binarised image, on up to 200 test images
     */
    public static double fit(Path data, PixelCnnPreset preset, Path out, long seed) throws Exception {
        EngineInfo.start(2); // the engine: 2 intra-op threads, quiet native logs
        DatasetResolver datasets = DatasetResolver.defaults();
        ImageDataset train = binarise(datasets.load(DatasetId.FASHION_MNIST, Split.TRAIN, data));
        ImageDataset test = binarise(datasets.load(DatasetId.FASHION_MNIST, Split.TEST, data));
        TrainingRecipe training = preset.training();

        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Seeds.seedEngine(seed); // the initial weights
            PixelCnnSpec spec = PixelCnnSpec.of(preset.withSize(train.height(), train.width()).config());
            PixelCnnModel model = PixelCnnModel.create(spec, manager); // parameters live in this manager
            ObjectiveStep step = training.step(model.objective()).optName("pixelcnn").build(); // the exact NLL
            Fit.builder().setStep(step).setManager(manager)
                    .setSource(train.batches(training.batchSize(), seed, true, PixelRange.ZERO_ONE))
                    .optTotalSteps(training.steps()).optSeed(seed)
                    .addListener(ProgressBar.create(System.err))
                    .build().run();
            ModelStore.save(model, out); // model.json + parameters.bin
        }

        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            PixelCnnModel model = ModelStore.load(out, manager, PixelCnnModel.class); // as another program would
            try (NDManager scope = manager.newSubManager()) { // arrays made here are freed at the end
                NDArray samples = model.sample(scope, 2, SampleOptions.defaults()); // pixel by pixel; (2, 1, 28, 28)
                System.out.println("samples: " + samples.getShape());
                NDArray x = test.subset(0, Math.min(200, test.size())).toNDArray(scope, PixelRange.ZERO_ONE);
                return -model.logLikelihood(x).mean().getFloat(); // exact: the product of the conditionals
            }
        }
    }

    /** Pixels at or above 128 become 1, the others 0 (the topic's fixed binarisation). */
    static ImageDataset binarise(ImageDataset d) {
        byte[] p = d.pixelBytes().clone();
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) ((p[i] & 0xff) >= 128 ? 255 : 0);
        }
        return new ImageDataset(d.name() + "-binarised", d.channels(), d.height(), d.width(), p, d.labels(),
                d.classNames());
    }
}
// snippet:end
