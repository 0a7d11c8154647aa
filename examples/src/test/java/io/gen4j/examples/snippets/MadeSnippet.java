package io.gen4j.examples.snippets;

// snippet:begin
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.gen4j.autoregressive.MadeModel;
import io.gen4j.autoregressive.MadePreset;
import io.gen4j.autoregressive.MadeSpec;
import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.DatasetResolver;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.data.Split;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.runtime.EngineInfo;
import io.gen4j.core.runtime.Seeds;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.ProgressBar;
import io.gen4j.core.train.TrainingRecipe;
import java.nio.file.Path;

/** Topic 11-10's MADE on binarised FashionMNIST from your own code: data, training, exact NLL, samples, saving. */
public final class MadeSnippet {

    /**
     * The exact test NLL of the trained model and of the same model loaded back from disk.
     *
     * @param nats nats per binarised image
     * @param natsAfterLoad the same, computed by the loaded model
     */
    public record Result(double nats, double natsAfterLoad) {}

    /**
     * @param data a folder with FashionMNIST's IDX files, or null for the usual places
     *     (~/.gen4j/datasets, Debian's dataset-fashion-mnist)
     * @param preset the model and its training, e.g. {@code MadePreset.binarized28()}
     * @param out where the model is saved
     * @param seed the seed of everything random
     * @return the exact test NLL on up to 500 binarised test images, before saving and after loading
     */
    public static Result fit(Path data, MadePreset preset, Path out, long seed) throws Exception {
        EngineInfo.start(2); // the engine: 2 intra-op threads, quiet native logs (no canary: MADE has no conv)
        DatasetResolver datasets = DatasetResolver.defaults();
        ImageDataset train = binarise(datasets.load(DatasetId.FASHION_MNIST, Split.TRAIN, data));
        ImageDataset test = binarise(datasets.load(DatasetId.FASHION_MNIST, Split.TEST, data));
        test = test.subset(0, Math.min(500, test.size()));
        TrainingRecipe training = preset.training();
        double nats;

        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Seeds.seedEngine(seed); // the initial weights
            // D = H·W pixels in {0, 1}, seen flattened in raster order
            MadeSpec spec = new MadeSpec(preset.withDims(train.imageSize()).config(),
                    DataSpec.image(1, train.height(), train.width(), PixelRange.ZERO_ONE));
            MadeModel model = MadeModel.create(spec, manager); // parameters live in this manager
            ObjectiveStep step = training.step(model.objective()).optName("made").build(); // the exact NLL
            Fit.builder().setStep(step).setManager(manager)
                    .setSource(train.batches(training.batchSize(), seed, true, PixelRange.ZERO_ONE))
                    .optTotalSteps(training.steps()).optSeed(seed)
                    .addListener(ProgressBar.create(System.err))
                    .build().run();
            try (NDManager scope = manager.newSubManager()) { // arrays made here are freed at the end
                NDArray x = test.toNDArray(scope, PixelRange.ZERO_ONE); // (N, 1, 28, 28) of 0 and 1
                nats = -model.logLikelihood(x).mean().getFloat(); // exact: the product of D conditionals
            }
            ModelStore.save(model, out); // model.json + parameters.bin
        }

        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            MadeModel model = ModelStore.load(out, manager, MadeModel.class); // as another program would
            try (NDManager scope = manager.newSubManager()) {
                NDArray samples = model.sample(scope, 4, SampleOptions.defaults()); // D passes; (4, 1, 28, 28)
                System.out.println("samples: " + samples.getShape());
                NDArray x = test.toNDArray(scope, PixelRange.ZERO_ONE);
                double natsAfterLoad = -model.logLikelihood(x).mean().getFloat();
                System.out.printf("test NLL %.2f nats (%.4f bits/dim), after loading %.2f%n", nats,
                        nats / train.imageSize() / Math.log(2), natsAfterLoad);
                return new Result(nats, natsAfterLoad);
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
