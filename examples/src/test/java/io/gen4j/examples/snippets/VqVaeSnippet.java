package io.gen4j.examples.snippets;

// snippet:begin
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.autoencoders.VqVae;
import io.gen4j.autoencoders.VqVaeModel;
import io.gen4j.autoencoders.VqVaePreset;
import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.DatasetResolver;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.data.Split;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.runtime.EngineInfo;
import io.gen4j.core.runtime.Seeds;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.Objective;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.ProgressBar;
import io.gen4j.core.train.TrainingRecipe;
import java.nio.file.Path;
import java.util.Random;

/**
 * The VQ-VAE of topic 11-02 on FashionMNIST from your own code: data, training, reconstructions, codebook
 * usage, the bound under the uniform code prior, saving and loading. A VQ-VAE draws no samples by itself:
 * decoding uniformly random code grids does not give data-like images; a prior fitted to the code grids
 * (an autoregressive model, topic 11-06) is what samples.
 */
public final class VqVaeSnippet {

    /**
     * What the snippet measures on the binarised test images.
     *
     * @param reconstruction −log p(x | z_q) in nats per image
     * @param bound reconstruction + h·w·ln K: an upper bound on the NLL under the uniform prior over codes
     * @param perplexity exp of the entropy of the test images' code histogram (K when all codes are used equally)
     * @param codesUsed codes chosen at least once
     * @param reconstructionAfterLoad the reconstruction, computed by the model loaded back from disk
     */
    public record Result(double reconstruction, double bound, double perplexity, int codesUsed,
            double reconstructionAfterLoad) {}

    /**
     * @param data a folder with FashionMNIST's IDX files, or null for the usual places
     *     (~/.gen4j/datasets, Debian's dataset-fashion-mnist)
     * @param preset the model and its training, e.g. {@code VqVaePreset.binarized28()}
     * @param out where the model is saved
     * @param seed the seed of everything random
     * @return the figures on up to 500 test images, binarised once
     */
    public static Result fit(Path data, VqVaePreset preset, Path out, long seed) throws Exception {
        EngineInfo.start(2); // the engine: 2 intra-op threads, quiet native logs (the canary runs at the first conv)
        DatasetResolver datasets = DatasetResolver.defaults();
        ImageDataset train = datasets.load(DatasetId.FASHION_MNIST, Split.TRAIN, data);
        ImageDataset test = binariseOnce(datasets.load(DatasetId.FASHION_MNIST, Split.TEST, data), seed);
        test = test.subset(0, Math.min(500, test.size()));
        TrainingRecipe training = preset.training();
        int codes = preset.spec().quantizer().numCodes();
        double reconstruction;
        double perplexity;
        int used = 0;
        double bound;

        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Seeds.seedEngine(seed); // the initial weights and the codebook
            VqVaeModel model = VqVaeModel.create(preset.spec(), manager); // parameters live in this manager
            VqVae vq = model.network();
            // The topic's loss: reconstruction + codebook + commitment on a fresh Bernoulli draw of each batch
            // (dynamic binarisation); the EMA codebook updates in these training passes.
            Objective loss = Objective.of(vq, (ctx, batch) ->
                    vq.loss(ctx.parameters(), binarise(batch.head()), ctx.training()));
            ObjectiveStep step = training.step(loss).optName("vq-vae").build();
            Fit.builder().setStep(step).setManager(manager)
                    .setSource(train.batches(training.batchSize(), seed, true, PixelRange.ZERO_ONE))
                    .optTotalSteps(training.steps()).optSeed(seed)
                    .addListener(ProgressBar.create(System.err))
                    .build().run();

            try (NDManager scope = manager.newSubManager()) { // arrays made here are freed at the end
                NDArray x = test.toNDArray(scope, PixelRange.ZERO_ONE); // (N, 1, 28, 28) of 0 and 1
                reconstruction = reconstruction(vq, x);
                NDArray indices = model.encodeIndices(x); // (N, h, w) code indices: the discrete latent
                NDArray images = model.decodeIndices(indices); // reconstructions, probabilities in [0, 1]
                System.out.println("codes " + indices.getShape() + " -> reconstructions " + images.getShape());
                long[] counts = new long[codes];
                for (long k : indices.toType(DataType.INT64, false).toLongArray()) {
                    counts[(int) k]++;
                }
                double entropy = 0;
                for (long c : counts) {
                    if (c > 0) {
                        double p = (double) c / indices.size();
                        entropy -= p * Math.log(p);
                        used++;
                    }
                }
                perplexity = Math.exp(entropy);
                Shape latent = model.latentShape(); // (D, h, w)
                // with a one-hot posterior and a uniform prior, KL = ln K per position
                bound = reconstruction + latent.get(1) * latent.get(2) * Math.log(codes);
            }
            ModelStore.save(model, out); // model.json + parameters.bin, the codebook and its EMA state included
        }

        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            VqVaeModel model = ModelStore.load(out, manager, VqVaeModel.class); // as another program would
            try (NDManager scope = manager.newSubManager()) {
                double afterLoad = reconstruction(model.network(), test.toNDArray(scope, PixelRange.ZERO_ONE));
                System.out.printf("reconstruction %.2f nats (after loading %.2f), %d of %d codes used, perplexity "
                        + "%.1f, NLL bound %.2f nats%n", reconstruction, afterLoad, used, codes, perplexity, bound);
                return new Result(reconstruction, bound, perplexity, used, afterLoad);
            }
        }
    }

    /** −log p(x | z_q) in nats per image, the mean over the images: the loss's reconstruction term, not training. */
    static double reconstruction(VqVae vq, NDArray x) {
        return vq.loss(new ParameterStore(x.getManager(), false), x, false).terms().get("reconstruction").getFloat();
    }

    /** x ~ Bernoulli(intensity), element by element, afresh at every call (the training batches). */
    static NDArray binarise(NDArray intensity) {
        return intensity.getManager().randomUniform(0, 1, intensity.getShape(), intensity.getDataType())
                .lt(intensity).toType(intensity.getDataType(), false);
    }

    /** The same draw once, with its own seed (the fixed test images). */
    static ImageDataset binariseOnce(ImageDataset d, long seed) {
        Random random = new Random(seed);
        byte[] p = d.pixelBytes().clone();
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (random.nextDouble() < (p[i] & 0xff) / 255.0 ? 255 : 0);
        }
        return new ImageDataset(d.name() + "-binarised", d.channels(), d.height(), d.width(), p, d.labels(),
                d.classNames());
    }
}
// snippet:end
