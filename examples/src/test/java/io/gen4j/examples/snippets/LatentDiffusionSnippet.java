package io.gen4j.examples.snippets;

// snippet:begin
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.gen4j.autoencoders.KlAutoencoderModel;
import io.gen4j.autoencoders.KlAutoencoderSpec;
import io.gen4j.autoencoders.LatentScale;
import io.gen4j.core.data.BatchOrder;
import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.DatasetResolver;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.data.Split;
import io.gen4j.core.data.TensorBatches;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.runtime.EngineInfo;
import io.gen4j.core.runtime.Seeds;
import io.gen4j.core.train.Ema;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.ProgressBar;
import io.gen4j.core.train.TrainingRecipe;
import io.gen4j.diffusion.latent.LatentDiffusionFamily;
import io.gen4j.diffusion.latent.LatentDiffusionModel;
import io.gen4j.diffusion.latent.LatentDiffusionPreset;
import io.gen4j.diffusion.text.CaptionedBatches;
import io.gen4j.diffusion.text.LabelCaptions;
import io.gen4j.diffusion.text.WordTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Topic 11-06's mini Stable Diffusion from your own code: captioned images, the autoencoder, latent
 * diffusion with a text encoder, text-prompted samples with classifier-free guidance, saving and loading.
 */
public final class LatentDiffusionSnippet {

    /**
     * What the snippet measured.
     *
     * @param matched the fraction of classes whose mean prompted sample is nearest to that class's mean test
     *     image (among the classes' mean test images): 1 when every prompt steers its samples to its class
     * @param distanceRatio the mean squared distance between each class's mean prompted sample and that
     *     class's mean test image, over the same for the other classes' mean test images: below 1 when the
     *     prompts steer, about 1 when they do nothing
     * @param reloadDifference the largest difference between the samples of the trained model and those of
     *     the loaded one, with the same seed (0 when the saved model is the trained one)
     */
    public record Result(double matched, double distanceRatio, double reloadDifference) {}

    /**
     * @param data a folder with FashionMNIST's IDX files, or null for the usual places
     * @param preset the models and their training, e.g. {@code LatentDiffusionPreset.textToImage32()}
     * @param out where the model (autoencoder included) is saved
     * @param seed the seed of everything random
     * @return what it measured
     */
    public static Result fit(Path data, LatentDiffusionPreset preset, Path out, long seed) throws Exception {
        EngineInfo.start(2); // the engine: 2 intra-op threads, quiet native logs
        DatasetResolver datasets = DatasetResolver.defaults();
        // 28x28 padded to 32x32: the autoencoder divides by 4, the latent U-Net by 2
        ImageDataset train = datasets.load(DatasetId.FASHION_MNIST, Split.TRAIN, data).padTo(32, 32, 0);
        ImageDataset test = datasets.load(DatasetId.FASHION_MNIST, Split.TEST, data).padTo(32, 32, 0);
        DataSpec images = DataSpec.image(train.channels(), 32, 32, PixelRange.MINUS_ONE_ONE);
        // captions from the labels ("a photo of a dark sneaker", ...): your own would be a LabelCaptions of your
        // class names (LabelCaptions.ofClassNames) or any captions a WordTokenizer of their words reads
        LabelCaptions captions = LabelCaptions.FASHION_MNIST;
        WordTokenizer tokenizer = WordTokenizer.of(captions.vocabulary(), captions.maxWords());
        LatentDiffusionPreset.Autoencoder stage1 = preset.autoencoder();
        List<String> prompts = new ArrayList<>(); // five of each class's prompt, in label order
        for (int c = 0; c < captions.classes(); c++) {
            prompts.addAll(Collections.nCopies(5, captions.prompt(c)));
        }
        float[] before;

        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            // 1. the KL autoencoder: Adam on the preset's recipe, then frozen with its latent scale
            Seeds.seedEngine(seed);
            KlAutoencoderModel vae = KlAutoencoderModel.create(new KlAutoencoderSpec(stage1.latentChannels(),
                    stage1.width(), stage1.klWeight(), 1.0, images), manager);
            TrainingRecipe vaeTraining = stage1.training();
            Fit.builder().setStep(vaeTraining.step(vae.objective()).optName("vae").build()).setManager(manager)
                    .setSource(train.batches(vaeTraining.batchSize(), seed, true, PixelRange.MINUS_ONE_ONE))
                    .optTotalSteps(vaeTraining.steps()).optSeed(seed)
                    .addListener(ProgressBar.create(System.err))
                    .build().run();
            int n = Math.min(stage1.encodedImages(), train.size());
            float[] latents;
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = train.subset(0, n).toNDArray(scope, PixelRange.MINUS_ONE_ONE);
                vae = vae.withLatentScale(LatentScale.estimate(vae, x.get("0:" + Math.min(n, stage1.scaleImages())),
                        256)); // s: the scaled latents s·z have unit variance
                latents = vae.encode(x).toFloatArray(); // encoded once: (n, 4, 8, 8)
            }

            // 2. latent diffusion: U-Net with cross-attention and text encoder, trained jointly on
            // (latents, token ids, mask) batches, the captions dropped with p_uncond for guidance
            LatentDiffusionModel model = LatentDiffusionFamily.create(
                    preset.spec(vae, tokenizer, captions.prompts(), images), vae, manager);
            ObjectiveStep step = preset.step(preset.objective(model.diffusionNetwork())).optName("ldm").build();
            TrainingRecipe training = preset.training();
            var latentBatches = new TensorBatches(latents, vae.latentShape().getShape(),
                    Arrays.copyOf(train.labels(), n), new BatchOrder(n, training.batchSize(), seed + 1, true));
            Fit.builder().setStep(step).setManager(manager)
                    .setSource(new CaptionedBatches(latentBatches, captions::caption, tokenizer, seed + 2))
                    .optTotalSteps(training.steps()).optSeed(seed)
                    .addListener(ProgressBar.create(System.err))
                    .build().run();
            try (Ema.Swap ema = step.ema().swapIn(); NDManager scope = manager.newSubManager()) {
                Seeds.seedEngine(seed + 3); // the start noise
                // DDIM on the preset's steps, guided at the preset's w (SampleOptions.withGuidance for another)
                before = model.sample(scope, prompts.subList(0, 4), SampleOptions.defaults()).toFloatArray();
                ModelStore.save(model, out); // model.json + parameters.bin: U-Net, text encoder and autoencoder
            }
        }
        // The family defines no likelihood: a latent diffusion model's bound would be on the latents, not the
        // images (LatentDiffusionModel is not a LikelihoodModel).

        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            LatentDiffusionModel model = ModelStore.load(out, manager, LatentDiffusionModel.class);
            try (NDManager scope = manager.newSubManager()) { // arrays made here are freed at the end
                Seeds.seedEngine(seed + 3);
                float[] after = model.sample(scope, prompts.subList(0, 4), SampleOptions.defaults()).toFloatArray();
                double difference = 0;
                for (int i = 0; i < after.length; i++) {
                    difference = Math.max(difference, Math.abs(after[i] - before[i]));
                }
                NDArray x = model.sample(scope, prompts, SampleOptions.defaults()); // (50, 1, 32, 32) in [-1, 1]
                int k = captions.classes();
                NDArray sampleMeans = x.reshape(k, 5, -1).mean(new int[] {1}); // (K, 1024)
                NDList testMeans = new NDList();
                for (int c = 0; c < k; c++) {
                    NDArray real = test.ofClass(c).toNDArray(scope, PixelRange.MINUS_ONE_ONE);
                    testMeans.add(real.reshape(real.getShape().get(0), -1).mean(new int[] {0}));
                }
                // squared distances (K, K) between every class's mean sample and every class's mean test image
                NDArray d = sampleMeans.expandDims(1).sub(NDArrays.stack(testMeans).expandDims(0)).square()
                        .sum(new int[] {2});
                long[] nearest = d.argMin(1).toLongArray();
                float[] distances = d.toFloatArray();
                int hits = 0;
                double own = 0;
                double others = 0;
                for (int c = 0; c < k; c++) {
                    hits += nearest[c] == c ? 1 : 0;
                    for (int j = 0; j < k; j++) {
                        own += j == c ? distances[c * k + j] / k : 0;
                        others += j == c ? 0 : distances[c * k + j] / (k * (k - 1.0));
                    }
                }
                return new Result(hits / (double) k, own / others, difference);
            }
        }
    }
}
// snippet:end
