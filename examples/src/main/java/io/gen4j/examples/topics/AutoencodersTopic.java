package io.gen4j.examples.topics;

import static io.gen4j.examples.topics.AutoencodersTopicSupport.fmt;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.gen4j.autoencoders.Autoencoder;
import io.gen4j.autoencoders.AutoencoderModel;
import io.gen4j.autoencoders.AutoencoderSpec;
import io.gen4j.autoencoders.AutoencoderPreset;
import io.gen4j.autoencoders.Corruption;
import io.gen4j.autoencoders.NetworkSpec;
import io.gen4j.autoencoders.Pca;
import io.gen4j.autoencoders.ReconstructionLoss;
import io.gen4j.autoencoders.SparsityPenalty;
import io.gen4j.autoencoders.Tsne;
import io.gen4j.autoencoders.TsneConfig;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.io.RunDirectory;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.nn.Activation;
import io.gen4j.examples.topics.AutoencodersTopicSupport.FileList;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topic 11-01, autoencoders: an MLP and a convolutional autoencoder on MNIST, a 2-D code coloured by
 * class, three denoising autoencoders (Gaussian, masking, salt-and-pepper), a sparse autoencoder with
 * the KL sparsity penalty, and PCA / t-SNE views of the code space. Every model it trains is saved
 * with gen-core's {@link ModelStore} to {@code <run>/models/<name>/}, {@code <name>} being the name
 * of its training log. Course text: docs/topics/11-01-autoencoders.md.
 */
public final class AutoencodersTopic implements Topic {

    private static final Logger LOG = LoggerFactory.getLogger(AutoencodersTopic.class);

    /**
     * Sizes of a run.
     *
     * @param trainSize training images kept (0 = all)
     * @param testSize test images kept (0 = all)
     * @param batch batch size
     * @param mlpSteps steps of the MLP, 2-D and denoising autoencoders
     * @param convSteps steps of the convolutional autoencoder
     * @param sparseSteps steps of the sparse autoencoder
     * @param hidden hidden width of the MLPs
     * @param convChannels first-layer channels of the conv autoencoder
     * @param projectionPoints test codes shown by PCA and t-SNE
     * @param tsneIterations t-SNE iterations
     */
    record Settings(int trainSize, int testSize, int batch, int mlpSteps, int convSteps, int sparseSteps,
            int hidden, int convChannels, int projectionPoints, int tsneIterations) {

        static Settings of(Profile profile) {
            return switch (profile) {
                case SMOKE -> new Settings(1024, 256, 64, 25, 8, 20, 64, 16, 120, 200);
                case CPU -> fromPresets(AutoencoderPreset.plain28(), AutoencoderPreset.code2d28(),
                        AutoencoderPreset.conv28(), AutoencoderPreset.sparse28().training().steps(), 0, 2000, 1000, 1000);
                case GPU -> fromPresets(AutoencoderPreset.plain28Long(), AutoencoderPreset.code2d28Long(),
                        AutoencoderPreset.conv28Long(), AutoencoderPreset.sparse28Long().training().steps(), 0, 0, 2000,
                        1000);
            };
        }

        /**
         * The models' sizes from gen-autoencoders' public presets: the hidden width, steps and batch of the
         * MLP and denoising autoencoders from {@code mlp} ({@link AutoencoderPreset#plain28()}, whose sizes
         * {@code denoising28} shares) and of the 2-D one from {@code code2d} ({@link
         * AutoencoderPreset#code2d28()}), which must agree; the convolutional autoencoder's from {@code conv}
         * ({@link AutoencoderPreset#conv28()}), the sparse one's steps from {@link
         * AutoencoderPreset#sparse28()}; at the GPU profile their {@code Long} variants. The views' sizes are
         * the topic's.
         */
        private static Settings fromPresets(AutoencoderPreset mlp, AutoencoderPreset code2d, AutoencoderPreset conv,
                long sparseSteps, int trainSize, int testSize, int projectionPoints, int tsneIterations) {
            int batch = mlp.training().batchSize();
            int hidden = mlp.spec().encoder().widths().get(0);
            if (code2d.training().batchSize() != batch || code2d.training().steps() != mlp.training().steps()
                    || code2d.spec().encoder().widths().get(0) != hidden || conv.training().batchSize() != batch) {
                throw new IllegalStateException("the MLP and 2-D autoencoders share their sizes and all one batch: "
                        + mlp + ", " + code2d + ", " + conv);
            }
            return new Settings(trainSize, testSize, batch, (int) mlp.training().steps(), (int) conv.training().steps(),
                    (int) sparseSteps, hidden, conv.spec().encoder().widths().get(0), projectionPoints, tsneIterations);
        }
    }

    /**
     * @param s the run's sizes
     * @param pixels the images' shape and range
     * @return the MLP autoencoder with a 32-number code ({@link AutoencoderPreset#plain28()}'s at the CPU profile)
     */
    static AutoencoderSpec mlpSpec(Settings s, DataSpec pixels) {
        return plain(NetworkSpec.mlp(s.hidden()), 32, pixels);
    }

    /**
     * @param s the run's sizes
     * @param pixels the images' shape and range
     * @return the convolutional autoencoder ({@link AutoencoderPreset#conv28()}'s at the CPU profile)
     */
    static AutoencoderSpec convSpec(Settings s, DataSpec pixels) {
        return plain(NetworkSpec.conv(s.convChannels()), 32, pixels);
    }

    /**
     * @param s the run's sizes
     * @param pixels the images' shape and range
     * @return the autoencoder with a 2-D code ({@link AutoencoderPreset#code2d28()}'s at the CPU profile)
     */
    static AutoencoderSpec code2dSpec(Settings s, DataSpec pixels) {
        return plain(NetworkSpec.mlp(s.hidden()), 2, pixels);
    }

    /**
     * @param s the run's sizes
     * @param pixels the images' shape and range
     * @return the sparse autoencoder ({@link AutoencoderPreset#sparse28()}'s at the CPU profile)
     */
    static AutoencoderSpec sparseSpec(Settings s, DataSpec pixels) {
        return plain(NetworkSpec.mlp(s.hidden()), 64, pixels)
                .withSparsity(new SparsityPenalty.KlDivergence(SPARSITY_TARGET, 3.0), Activation.SIGMOID);
    }

    /** ρ of the sparse autoencoder's KL penalty. */
    private static final double SPARSITY_TARGET = 0.05;

    @Override
    public String id() {
        return "11-01";
    }

    @Override
    public String title() {
        return "Autoencoders: bottleneck, denoising, sparsity, latent views";
    }

    @Override
    public TopicResult run(TopicOptions options) throws Exception {
        Settings s = Settings.of(options.profile());
        long seed = options.seed();
        Engine.getInstance().setRandomSeed((int) seed);
        TopicData data = AutoencodersTopicSupport.loadData(options.dataPath(), s.trainSize(), s.testSize());
        TopicRun topicRun = AutoencodersTopicSupport.runDirectory(options, id(), s);
        RunDirectory run = topicRun.directory();
        Path dir = run.root();
        LOG.info("11-01: run directory {}", dir);
        FileList files = new FileList();
        Map<String, Double> metrics = new LinkedHashMap<>();
        DataSpec pixels = DataSpec.image(1, data.train().height(), data.train().width(), PixelRange.ZERO_ONE);
        StringBuilder report = new StringBuilder();
        report.append("# 11-01 Autoencoders — run report\n\n").append(data.note()).append("\n\n")
                .append("Profile ").append(options.profile()).append(", seed ").append(seed).append(". ")
                .append("Course text: docs/topics/11-01-autoencoders.md.\n\n");
        try (NDManager manager = AutoencodersTopicSupport.newManager()) {
            // 1. MLP and convolutional autoencoders with a 32-D code.
            Autoencoder mlp = train("mlp-ae", mlpSpec(s, pixels), manager, data.train(), s,
                    s.mlpSteps(), seed, topicRun, files);
            Autoencoder conv = train("conv-ae", convSpec(s, pixels), manager,
                    data.train(), s, s.convSteps(), seed + 1, topicRun, files);
            metrics.put("test_bce_mlp_ae", testLoss(manager, mlp, data.test()));
            metrics.put("test_bce_conv_ae", testLoss(manager, conv, data.test()));
            metrics.put("test_mse_per_pixel_mlp_ae", testMse(manager, mlp, data.test(), Corruption.none()));
            metrics.put("test_mse_per_pixel_conv_ae", testMse(manager, conv, data.test(), Corruption.none()));
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = AutoencodersTopicSupport.images(scope, data.test(), 0, 16);
                NDArray grid = NDArrays.concat(new NDList(x, mlp.reconstruct(x), conv.reconstruct(x)), 0);
                AutoencodersTopicSupport.imageGrid(grid, 16, files.add(run.image("reconstructions.png")));
            }
            report.append("## Reconstruction through a 32-number bottleneck\n\n")
                    .append("![reconstructions](images/reconstructions.png)\n\n")
                    .append("Rows: test images, MLP autoencoder, convolutional autoencoder. Test BCE (nats per image): MLP ")
                    .append(fmt(metrics.get("test_bce_mlp_ae"))).append(", conv ").append(fmt(metrics.get("test_bce_conv_ae")))
                    .append("; mean squared error per pixel: MLP ").append(fmt(metrics.get("test_mse_per_pixel_mlp_ae")))
                    .append(", conv ").append(fmt(metrics.get("test_mse_per_pixel_conv_ae")))
                    .append(". A constant 0.5 output would cost 784·log 2 ≈ 543 nats.\n\n");

            // 2. A 2-D code, drawn directly.
            Autoencoder twoD = train("ae-2d", code2dSpec(s, pixels), manager, data.train(), s,
                    s.mlpSteps(), seed + 2, topicRun, files);
            metrics.put("test_bce_ae_2d", testLoss(manager, twoD, data.test()));
            int shown = Math.min(s.projectionPoints() * 2, data.test().size());
            NDArray codes2 = AutoencodersTopicSupport.mapBatches(manager, data.test().subset(0, shown), 256, twoD::encode);
            AutoencodersTopicSupport.scatter(AutoencodersTopicSupport.rows(codes2),
                    AutoencodersTopicSupport.labels(data.test(), shown), data.test().classNames(),
                    "2-D autoencoder codes of " + shown + " test images", files.add(run.image("latent-2d.png")));
            report.append("## A 2-D code\n\n![latent-2d](images/latent-2d.png)\n\n")
                    .append("An autoencoder with d = 2 (test BCE ").append(fmt(metrics.get("test_bce_ae_2d")))
                    .append(" nats): classes form regions, but nothing makes the code space dense or Gaussian — ")
                    .append("decoding a random point gives no guarantee of a plausible image (the VAE of 11-02 fixes that).\n\n");

            // 3. PCA and t-SNE of the 32-D MLP codes.
            int n = Math.min(s.projectionPoints(), data.test().size());
            double[][] codes = AutoencodersTopicSupport.rows(
                    AutoencodersTopicSupport.mapBatches(manager, data.test().subset(0, n), 256, mlp::encode));
            int[] labels = AutoencodersTopicSupport.labels(data.test(), n);
            Pca pca = Pca.fit(codes, 2);
            AutoencodersTopicSupport.scatter(pca.transform(codes), labels, data.test().classNames(),
                    "PCA of 32-D codes", files.add(run.image("latent-pca.png")));
            double[] ratio = pca.explainedVarianceRatio();
            metrics.put("pca_explained_variance_2", ratio[0] + ratio[1]);
            Tsne tsne = new Tsne(TsneConfig.defaults(seed).withIterations(s.tsneIterations()));
            long t0 = System.nanoTime();
            double[][] layout = tsne.embed(codes);
            LOG.info("t-SNE of {} points in {} s", n, fmt((System.nanoTime() - t0) / 1e9));
            AutoencodersTopicSupport.scatter(layout, labels, data.test().classNames(), "t-SNE of 32-D codes",
                    files.add(run.image("latent-tsne.png")));
            metrics.put("tsne_kl", tsne.klDivergence());
            report.append("## Views of the 32-D code space\n\n![pca](images/latent-pca.png) ![tsne](images/latent-tsne.png)\n\n")
                    .append("PCA keeps ").append(fmt(100 * (ratio[0] + ratio[1])))
                    .append(" % of the code variance in two directions; t-SNE (perplexity 30, KL(P‖Q) = ")
                    .append(fmt(tsne.klDivergence())).append(") keeps neighbourhoods, so classes separate more clearly, ")
                    .append("but distances between clusters mean little.\n\n");

            // 4. Denoising autoencoders.
            Corruption[] corruptions = {new Corruption.Gaussian(0.5), new Corruption.Masking(0.5),
                Corruption.SaltAndPepper.unit(0.2)};
            String[] names = {"gaussian", "masking", "salt_pepper"};
            NDList rows = new NDList();
            report.append("## Denoising\n\n![denoising](images/denoising.png)\n\n")
                    .append("Each block of rows: corrupted input, the denoising autoencoder's output, the clean image. ")
                    .append("Mean squared error per pixel against the clean test image:\n\n")
                    .append("| corruption | corrupted input | plain AE on it | denoising AE |\n|---|---|---|---|\n");
            try (NDManager figures = manager.newSubManager()) {
                NDArray clean = AutoencodersTopicSupport.images(figures, data.test(), 0, 12);
                for (int i = 0; i < corruptions.length; i++) {
                    Autoencoder dae = train("dae-" + names[i], mlpSpec(s, pixels).withCorruption(corruptions[i]), manager, data.train(), s, s.mlpSteps(), seed + 10 + i, topicRun, files);
                    Engine.getInstance().setRandomSeed((int) seed + 100 + i);
                    double noisy = noisyMse(manager, data.test(), corruptions[i]);
                    Engine.getInstance().setRandomSeed((int) seed + 100 + i);
                    double plainOnNoisy = testMse(manager, mlp, data.test(), corruptions[i]);
                    Engine.getInstance().setRandomSeed((int) seed + 100 + i);
                    double denoised = testMse(manager, dae, data.test(), corruptions[i]);
                    metrics.put("denoise_mse_input_" + names[i], noisy);
                    metrics.put("denoise_mse_plain_ae_" + names[i], plainOnNoisy);
                    metrics.put("denoise_mse_dae_" + names[i], denoised);
                    report.append("| ").append(names[i]).append(" | ").append(fmt(noisy)).append(" | ")
                            .append(fmt(plainOnNoisy)).append(" | ").append(fmt(denoised)).append(" |\n");
                    NDArray corrupted = corruptions[i].apply(clean);
                    rows.add(Scalars.clip(corrupted, 0, 1));
                    rows.add(dae.reconstruct(corrupted));
                    rows.add(clean);
                }
                AutoencodersTopicSupport.imageGrid(NDArrays.concat(rows, 0), 12, files.add(run.image("denoising.png")));
            }
            report.append("\nCorruptions: Gaussian σ = 0.5, masking p = 0.5, salt-and-pepper p = 0.2.\n\n");

            // 5. Sparse autoencoder: 64 sigmoid units, KL penalty towards ρ = 0.05.
            double rho = SPARSITY_TARGET;
            Autoencoder sparse = train("sparse-ae", sparseSpec(s, pixels), manager, data.train(), s,
                    s.sparseSteps(), seed + 20, topicRun, files);
            NDArray act = AutoencodersTopicSupport.mapBatches(manager, data.test(), 256, sparse::encode);
            double[] meanAct = act.mean(new int[] {0}).toType(DataType.FLOAT64, false).toDoubleArray();
            double[] sorted = meanAct.clone();
            Arrays.sort(sorted);
            double overall = act.mean().getFloat();
            double activeFraction = act.gt(0.5).toType(DataType.FLOAT32, false).mean().getFloat();
            metrics.put("sparse_mean_activation", overall);
            metrics.put("sparse_fraction_above_half", activeFraction);
            metrics.put("test_bce_sparse_ae", testLoss(manager, sparse, data.test()));
            double[] target = new double[sorted.length];
            Arrays.fill(target, rho);
            Map<String, double[]> series = new LinkedHashMap<>();
            series.put("mean activation of unit (sorted)", sorted);
            series.put("target ρ = " + rho, target);
            AutoencodersTopicSupport.profile(series, "Sparse autoencoder: mean activation per code unit", "unit (sorted)",
                    "mean activation", files.add(run.image("sparse-activations.png")));
            report.append("## Sparsity\n\n![sparse](images/sparse-activations.png)\n\n")
                    .append("64 sigmoid units with the KL penalty towards ρ = ").append(rho).append(": mean activation ")
                    .append(fmt(overall)).append(", ").append(fmt(100 * activeFraction))
                    .append(" % of (image, unit) pairs above 0.5; test BCE ").append(fmt(metrics.get("test_bce_sparse_ae")))
                    .append(" nats.\n\n");
            act.close();
        }
        Path metricsFile = files.add(dir.resolve("metrics.json"));
        files.add(run.configFile());
        AutoencodersTopicSupport.writeMetrics(metrics, metricsFile);
        report.append(AutoencodersTopicSupport.trainingCurves(run, files));
        report.append("## Saved models\n\nEvery model above is in `models/<name>/` (`mlp-ae`, `conv-ae`, `ae-2d`, ")
                .append("`dae-gaussian`, `dae-masking`, `dae-salt_pepper`, `sparse-ae`), in gen4j's saved-model format: ")
                .append("`ModelStore.load(dir, manager, AutoencoderModel.class)` gives it back.\n\n");
        report.append("## Metrics\n\nAll values are in `metrics.json`.\n");
        Files.writeString(files.add(run.reportFile()), report.toString(), StandardCharsets.UTF_8);
        return new TopicResult(dir, metrics, files.all());
    }

    /** An autoencoder with the same kind of network on both sides and a BCE reconstruction loss. */
    private static AutoencoderSpec plain(NetworkSpec network, int code, DataSpec pixels) {
        return AutoencoderSpec.plain(network, network, code, ReconstructionLoss.BCE_WITH_LOGITS, pixels);
    }

    /** Builds the model a spec describes, trains it and saves it to {@code models/<name>/}. */
    private static Autoencoder train(String name, AutoencoderSpec spec, NDManager manager, ImageDataset train,
            Settings s, int steps, long seed, TopicRun run, FileList files) throws java.io.IOException {
        AutoencoderModel model = AutoencoderModel.create(spec, manager);
        AutoencodersTopicSupport.train(name, model.network().objective(), manager,
                train.batches(s.batch(), seed, true, PixelRange.ZERO_ONE), steps, 1e-3, seed, run);
        AutoencodersTopicSupport.saveModel(model, name, run.directory(), files);
        return model.network();
    }

    /** Mean per-image reconstruction loss (BCE nats) on clean test images. */
    private static double testLoss(NDManager manager, Autoencoder ae, ImageDataset test) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray losses = AutoencodersTopicSupport.mapBatches(scope, test, 256,
                    x -> ae.reconstructionLoss().perExample(
                            ae.decoderOutput(new ai.djl.training.ParameterStore(x.getManager(), false), ae.encode(x), false), x));
            return losses.mean().getFloat();
        }
    }

    /** Mean squared error per pixel between the reconstruction of corrupted test images and the clean ones. */
    private static double testMse(NDManager manager, Autoencoder ae, ImageDataset test, Corruption corruption) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray err = AutoencodersTopicSupport.mapBatches(scope, test, 256,
                    x -> ae.reconstruct(corruption.apply(x)).sub(x).square().reshape(x.getShape().get(0), -1).mean(new int[] {1}));
            return err.mean().getFloat();
        }
    }

    /** Mean squared error per pixel of the corrupted test images themselves. */
    private static double noisyMse(NDManager manager, ImageDataset test, Corruption corruption) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray err = AutoencodersTopicSupport.mapBatches(scope, test, 256,
                    x -> corruption.apply(x).sub(x).square().reshape(x.getShape().get(0), -1).mean(new int[] {1}));
            return err.mean().getFloat();
        }
    }

    @Override
    public String toString() {
        return id() + " " + title();
    }

    /** @return the list of figure names this topic writes (for tests and docs) */
    static List<String> figures() {
        return List.of("reconstructions.png", "latent-2d.png", "latent-pca.png", "latent-tsne.png", "denoising.png",
                "sparse-activations.png", "metrics.json", "report.md");
    }
}
