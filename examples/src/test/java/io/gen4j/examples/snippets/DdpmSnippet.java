package io.gen4j.examples.snippets;

// snippet:begin
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.DatasetResolver;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.data.Split;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.runtime.EngineInfo;
import io.gen4j.core.runtime.Seeds;
import io.gen4j.core.train.Ema;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.ProgressBar;
import io.gen4j.core.train.TrainingRecipe;
import io.gen4j.diffusion.DdpmFamily;
import io.gen4j.diffusion.DdpmModel;
import io.gen4j.diffusion.DdpmObjective;
import io.gen4j.diffusion.DdpmPreset;
import io.gen4j.diffusion.DdpmSpec;
import java.nio.file.Path;

/** The quickstart's DDPM on FashionMNIST from your own code: data, training, EMA, saving, samples, likelihood. */
public final class DdpmSnippet {

    /**
     * @param data a folder with FashionMNIST's IDX files, or null for the usual places
     *     (~/.gen4j/datasets, Debian's dataset-fashion-mnist)
     * @param preset the model and its training, e.g. {@code DdpmPreset.quickstart28()}
     * @param out where the model is saved
     * @param seed the seed of everything random
     * @return the test NLL bound (the variational bound) in nats per 8-bit image, on 8 test images
     */
    public static double fit(Path data, DdpmPreset preset, Path out, long seed) throws Exception {
        EngineInfo.start(2); // the engine: 2 intra-op threads, quiet native logs
        DatasetResolver datasets = DatasetResolver.defaults();
        ImageDataset train = datasets.load(DatasetId.FASHION_MNIST, Split.TRAIN, data);
        ImageDataset test = datasets.load(DatasetId.FASHION_MNIST, Split.TEST, data);
        TrainingRecipe training = preset.training();

        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Seeds.seedEngine(seed); // the initial weights
            DdpmSpec spec = preset.spec(train.channels(), train.height(), train.width()); // U-Net fitted to the data
            DdpmModel model = new DdpmFamily().create(spec, manager); // the first conv block runs the canary here
            ObjectiveStep step = preset.step(DdpmObjective.simple(model.unet(), spec.noiseSchedule(), spec.prediction()))
                    .optName("ddpm").build(); // AdamW, warm-up + cosine, clip, EMA of the weights
            Fit.builder().setStep(step).setManager(manager)
                    .setSource(train.batches(training.batchSize(), seed, true, PixelRange.MINUS_ONE_ONE))
                    .optTotalSteps(training.steps()).optSeed(seed)
                    .addListener(ProgressBar.create(System.err))
                    .build().run();
            try (Ema.Swap ema = step.ema().swapIn()) { // the averaged weights are the ones to keep
                ModelStore.save(model, out); // model.json + parameters.bin
            }
        }

        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            DdpmModel model = ModelStore.load(out, manager, DdpmModel.class); // as another program would
            try (NDManager scope = manager.newSubManager()) { // arrays made here are freed at the end
                NDArray samples = model.sample(scope, 16, SampleOptions.defaults()); // DDIM; (16, 1, 28, 28) in [-1, 1]
                System.out.println("samples: " + samples.getShape());
                NDArray x = test.subset(0, Math.min(8, test.size())).toNDArray(scope, PixelRange.MINUS_ONE_ONE);
                return -model.logLikelihood(x).mean().toType(DataType.FLOAT64, false).getDouble(); // a bound (float64)
            }
        }
    }
}
// snippet:end
