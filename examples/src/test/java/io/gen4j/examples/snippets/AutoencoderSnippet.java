package io.gen4j.examples.snippets;

// snippet:begin
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.gen4j.autoencoders.AutoencoderModel;
import io.gen4j.autoencoders.AutoencoderPreset;
import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.DatasetResolver;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.data.Split;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.runtime.EngineInfo;
import io.gen4j.core.runtime.Seeds;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.ProgressBar;
import io.gen4j.core.train.TrainingRecipe;
import java.nio.file.Path;

/**
 * An autoencoder of topic 11-01 (plain, denoising or sparse) on FashionMNIST from your own code: data,
 * training, saving, codes and reconstructions. An autoencoder has no likelihood and draws no samples: its
 * measure is the reconstruction error (the VAE of 11-02 adds both).
 */
public final class AutoencoderSnippet {

    /**
     * @param data a folder with FashionMNIST's IDX files, or null for the usual places
     *     (~/.gen4j/datasets, Debian's dataset-fashion-mnist)
     * @param preset the model and its training, e.g. {@code AutoencoderPreset.denoising28(new
     *     Corruption.Gaussian(0.5))}, {@code plain28()} or {@code sparse28()}
     * @param out where the model is saved
     * @param seed the seed of everything random
     * @return the mean squared error per pixel of the reconstructions of up to 500 clean test images
     */
    public static double fit(Path data, AutoencoderPreset preset, Path out, long seed) throws Exception {
        EngineInfo.start(2); // the engine: 2 intra-op threads, quiet native logs (no canary: it runs at a first conv)
        DatasetResolver datasets = DatasetResolver.defaults();
        ImageDataset train = datasets.load(DatasetId.FASHION_MNIST, Split.TRAIN, data);
        ImageDataset test = datasets.load(DatasetId.FASHION_MNIST, Split.TEST, data);
        TrainingRecipe training = preset.training();

        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Seeds.seedEngine(seed); // the initial weights
            AutoencoderModel model = AutoencoderModel.create(preset.spec(), manager); // parameters in this manager
            // the loss: reconstruction (of the clean image from the corrupted one, for a denoising preset)
            // plus the sparsity penalty of a sparse preset
            ObjectiveStep step = training.step(model.network().objective()).optName("autoencoder").build();
            Fit.builder().setStep(step).setManager(manager)
                    .setSource(train.batches(training.batchSize(), seed, true, PixelRange.ZERO_ONE))
                    .optTotalSteps(training.steps()).optSeed(seed)
                    .addListener(ProgressBar.create(System.err))
                    .build().run();
            ModelStore.save(model, out); // model.json + parameters.bin
        }

        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            AutoencoderModel model = ModelStore.load(out, manager, AutoencoderModel.class); // as another program would
            try (NDManager scope = manager.newSubManager()) { // arrays made here are freed at the end
                NDArray x = test.subset(0, Math.min(500, test.size())).toNDArray(scope, PixelRange.ZERO_ONE);
                NDArray codes = model.encode(x); // (N, code size)
                System.out.println("codes: " + codes.getShape());
                NDArray error = model.reconstruct(x).sub(x); // reconstruct = decode(encode(x)), in [0, 1]
                return error.mul(error).mean().getFloat();
            }
        }
    }
}
// snippet:end
