package io.gen4j.examples.snippets;

// snippet:begin
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.gen4j.autoencoders.Vae;
import io.gen4j.autoencoders.VaeModel;
import io.gen4j.autoencoders.VaePreset;
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
import io.gen4j.core.train.Objective;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.ProgressBar;
import io.gen4j.core.train.TrainingRecipe;
import java.nio.file.Path;

/** The VAE of topic 11-02 on FashionMNIST from your own code: data, training, samples, likelihood, saving. */
public final class VaeSnippet {

    /**
     * @param data a folder with FashionMNIST's IDX files, or null for the usual places
     *     (~/.gen4j/datasets, Debian's dataset-fashion-mnist)
     * @param preset the model and its training, e.g. {@code VaePreset.binarized28()}
     * @param out where the model is saved
     * @param seed the seed of everything random
     * @return the test NLL bound (IWAE, K = 64) in nats per binarised image
     */
    public static double fit(Path data, VaePreset preset, Path out, long seed) throws Exception {
        EngineInfo.start(2); // the engine: 2 intra-op threads, quiet native logs (no canary: it runs at a first conv)
        DatasetResolver datasets = DatasetResolver.defaults();
        ImageDataset train = datasets.load(DatasetId.FASHION_MNIST, Split.TRAIN, data);
        ImageDataset test = datasets.load(DatasetId.FASHION_MNIST, Split.TEST, data);
        TrainingRecipe training = preset.training();

        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Seeds.seedEngine(seed); // the initial weights
            VaeModel model = VaeModel.create(preset.spec(), manager); // parameters live in this manager
            Vae vae = model.network();
            // The topic's loss: the ELBO of a fresh Bernoulli draw of each batch (dynamic binarisation).
            Objective elbo = Objective.of(vae, (ctx, batch) ->
                    vae.loss(ctx.parameters(), binarise(batch.head()), ctx.step(), ctx.training()));
            ObjectiveStep step = training.step(elbo).optName("vae").build();
            Fit.builder().setStep(step).setManager(manager)
                    .setSource(train.batches(training.batchSize(), seed, true, PixelRange.ZERO_ONE))
                    .optTotalSteps(training.steps()).optSeed(seed)
                    .addListener(ProgressBar.create(System.err))
                    .build().run();
            ModelStore.save(model, out); // model.json + parameters.bin; ModelStore.load(out, manager) reads it back

            try (NDManager scope = manager.newSubManager()) { // arrays made here are freed at the end
                NDArray samples = model.sample(scope, 16, SampleOptions.defaults()); // (16, 1, 28, 28) in [0, 1]
                System.out.println("samples: " + samples.getShape());
                NDArray x = binarise(test.subset(0, Math.min(500, test.size())).toNDArray(scope, PixelRange.ZERO_ONE));
                return -model.logLikelihood(x).mean().getFloat(); // a bound: the VAE's likelihood is not exact
            }
        }
    }

    /** x ~ Bernoulli(intensity), element by element. */
    static NDArray binarise(NDArray intensity) {
        return intensity.getManager().randomUniform(0, 1, intensity.getShape(), intensity.getDataType())
                .lt(intensity).toType(intensity.getDataType(), false);
    }
}
// snippet:end
