package io.gen4j.examples.topics;

import static io.gen4j.examples.topics.AutoencodersTopicSupport.fmt;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.autoencoders.CollapseDiagnostics;
import io.gen4j.autoencoders.ConditionalPrior;
import io.gen4j.autoencoders.ConditionalVae;
import io.gen4j.autoencoders.ConditionalVaeModel;
import io.gen4j.autoencoders.ConditionalVaePreset;
import io.gen4j.autoencoders.ConditionalVaeSpec;
import io.gen4j.autoencoders.DecoderLikelihood;
import io.gen4j.autoencoders.KlSchedule;
import io.gen4j.autoencoders.LatentPaths;
import io.gen4j.autoencoders.NetworkSpec;
import io.gen4j.autoencoders.Pca;
import io.gen4j.autoencoders.Posterior;
import io.gen4j.autoencoders.ReconstructionLoss;
import io.gen4j.autoencoders.Tsne;
import io.gen4j.autoencoders.TsneConfig;
import io.gen4j.autoencoders.Vae;
import io.gen4j.autoencoders.VaeConfig;
import io.gen4j.autoencoders.VaePreset;
import io.gen4j.autoencoders.VqVaePreset;
import io.gen4j.autoencoders.VaeModel;
import io.gen4j.autoencoders.VaeSpec;
import io.gen4j.autoencoders.VectorQuantizerConfig;
import io.gen4j.autoencoders.VqVae;
import io.gen4j.autoencoders.VqVaeModel;
import io.gen4j.autoencoders.VqVaeSpec;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.io.RunDirectory;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.train.Objective;
import io.gen4j.core.train.TrainingRecipe;
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
 * Topic 11-02, variational autoencoders, on dynamically binarised MNIST: a Bernoulli VAE with its
 * −ELBO and IWAE NLL in nats, samples, interpolations and traversals, a 2-D VAE, posterior collapse
 * (β = 8) next to its fixes (free bits; β = 1 with KL warm-up), a Gaussian decoder with a learned σ,
 * a VQ-VAE with EMA codebook and code usage, and a conditional VAE. Every model it trains is saved
 * with gen-core's {@code ModelStore} to {@code <run>/models/<name>/}, {@code <name>} being the name
 * of its training log. Course text: docs/topics/11-02-vae.md.
 */
public final class VaesTopic implements Topic {

    private static final Logger LOG = LoggerFactory.getLogger(VaesTopic.class);

    /**
     * Sizes of a run.
     *
     * @param trainSize training images kept (0 = all)
     * @param testSize test images kept (0 = all)
     * @param batch batch size
     * @param vaeSteps steps of the main VAE
     * @param smallSteps steps of the 2-D VAE, of each collapse-study VAE and of the conditional VAE
     * @param vqSteps steps of the VQ-VAE
     * @param hidden hidden width of the MLPs
     * @param latent latent size of the main VAE
     * @param iwaeSamples K of the IWAE NLL estimate
     * @param iwaeImages test images in the IWAE estimate
     * @param projectionPoints test codes shown by PCA and t-SNE
     * @param tsneIterations t-SNE iterations
     */
    record Settings(int trainSize, int testSize, int batch, int vaeSteps, int smallSteps, int vqSteps, int hidden,
            int latent, int iwaeSamples, int iwaeImages, int projectionPoints, int tsneIterations) {

        static Settings of(Profile profile) {
            return switch (profile) {
                case SMOKE -> new Settings(1024, 256, 64, 25, 15, 6, 64, 8, 8, 64, 100, 200);
                case CPU -> withMainVae(VaePreset.binarized28(), 0, 2000, studies(VaePreset.latent2d28(),
                        VaePreset.beta8Collapse28(), VaePreset.beta8FreeBits28(), VaePreset.beta1WarmUp28(),
                        VaePreset.gaussianLearned28(), ConditionalVaePreset.binarized28()), VqVaePreset.binarized28(), 200,
                        2000, 1000, 1000);
                case GPU -> withMainVae(VaePreset.binarized28Long(), 0, 0, studies(VaePreset.latent2d28Long(),
                        VaePreset.beta8Collapse28Long(), VaePreset.beta8FreeBits28Long(), VaePreset.beta1WarmUp28Long(),
                        VaePreset.gaussianLearned28Long(), ConditionalVaePreset.binarized28Long()),
                        VqVaePreset.binarized28Long(), 1000, 10000, 2000, 1000);
            };
        }

        /**
         * The main VAE's and the VQ-VAE's sizes from gen-autoencoders' public presets (the VQ-VAE's batch is
         * the main VAE's), the other models' steps from theirs ({@code smallSteps}); the IWAE and views'
         * sizes are the topic's.
         */
        private static Settings withMainVae(VaePreset main, int trainSize, int testSize, TrainingRecipe small,
                VqVaePreset vq, int iwaeSamples, int iwaeImages, int projectionPoints, int tsneIterations) {
            if (vq.training().batchSize() != main.training().batchSize()
                    || small.batchSize() != main.training().batchSize()) {
                throw new IllegalStateException("every model trains on the main VAE's batches: " + vq.training().batchSize()
                        + ", " + small.batchSize() + " vs " + main.training().batchSize());
            }
            return new Settings(trainSize, testSize, main.training().batchSize(), (int) main.training().steps(),
                    (int) small.steps(), (int) vq.training().steps(), main.spec().encoder().widths().get(0),
                    main.spec().config().latentDim(), iwaeSamples, iwaeImages, projectionPoints, tsneIterations);
        }

        /**
         * @return the one training recipe of the 2-D, collapse-study, σ- and conditional VAEs' presets, which
         *     must agree (the topic trains them for the same steps on the same batches)
         */
        private static TrainingRecipe studies(VaePreset twoD, VaePreset beta8, VaePreset freeBits, VaePreset warmUp,
                VaePreset sigma, ConditionalVaePreset cvae) {
            for (TrainingRecipe r : List.of(beta8.training(), freeBits.training(), warmUp.training(), sigma.training(),
                    cvae.training())) {
                if (!r.equals(twoD.training())) {
                    throw new IllegalStateException("the study VAEs share one training: " + r + " vs " + twoD.training());
                }
            }
            return twoD.training();
        }
    }

    /**
     * @param s the run's sizes
     * @param pixels the images' shape and range
     * @return the main VAE ({@link VaePreset#binarized28()}'s at the CPU profile)
     */
    static VaeSpec mainSpec(Settings s, DataSpec pixels) {
        return mlpVae(s.latent(), s.hidden(), pixels, new KlSchedule(1, s.vaeSteps() / 10, 0));
    }

    /**
     * @param s the run's sizes
     * @param pixels the images' shape and range
     * @return the 2-D VAE ({@link VaePreset#latent2d28()}'s at the CPU profile)
     */
    static VaeSpec twoDSpec(Settings s, DataSpec pixels) {
        return mlpVae(2, s.hidden(), pixels, new KlSchedule(1, s.smallSteps() / 10, 0));
    }

    /**
     * @param s the run's sizes
     * @return the KL schedules of the posterior-collapse study by name: β = 8, β = 8 with free bits, β = 1
     *     with warm-up ({@link VaePreset#beta8Collapse28()}'s, {@link VaePreset#beta8FreeBits28()}'s and
     *     {@link VaePreset#beta1WarmUp28()}'s at the CPU profile, on {@code mlpVae(s.latent(), s.hidden(), …)})
     */
    static Map<String, KlSchedule> collapseSchedules(Settings s) {
        Map<String, KlSchedule> settings = new LinkedHashMap<>();
        settings.put("β = 8 (collapse)", new KlSchedule(8, 0, 0));
        settings.put("β = 8 + free bits 0.5", new KlSchedule(8, 0, 0.5));
        settings.put("β = 1 + warm-up", new KlSchedule(1, s.smallSteps() / 3, 0));
        return settings;
    }

    /**
     * @param s the run's sizes
     * @param pixels the images' shape and range
     * @return the σ-VAE ({@link VaePreset#gaussianLearned28()}'s at the CPU profile)
     */
    static VaeSpec sigmaSpec(Settings s, DataSpec pixels) {
        return new VaeSpec(NetworkSpec.mlp(s.hidden()), NetworkSpec.mlp(s.hidden()),
                VaeConfig.defaults(s.latent()).withLikelihood(DecoderLikelihood.GAUSSIAN_LEARNED, 1.0)
                        .withKl(new KlSchedule(1, s.smallSteps() / 10, 0)), pixels);
    }

    /**
     * @param pixels the images' shape and range
     * @return the VQ-VAE ({@link VqVaePreset#binarized28()}'s)
     */
    static VqVaeSpec vqSpec(DataSpec pixels) {
        return new VqVaeSpec(NetworkSpec.convFeature(16), NetworkSpec.convFeature(16),
                VectorQuantizerConfig.defaults(VQ_CODES, 16), ReconstructionLoss.BCE_WITH_LOGITS, pixels);
    }

    /**
     * @param s the run's sizes
     * @param pixels the images' shape and range
     * @param classes the data's classes
     * @return the conditional VAE ({@link ConditionalVaePreset#binarized28()}'s at the CPU profile, 10 classes)
     */
    static ConditionalVaeSpec cvaeSpec(Settings s, DataSpec pixels, int classes) {
        return new ConditionalVaeSpec(NetworkSpec.mlp(s.hidden()), NetworkSpec.mlp(s.hidden()),
                VaeConfig.defaults(8).withKl(new KlSchedule(1, s.smallSteps() / 10, 0)), classes, ConditionalPrior.LEARNED,
                pixels);
    }

    /** Codes of the VQ-VAE's codebook. */
    private static final int VQ_CODES = 64;

    @Override
    public String id() {
        return "11-02";
    }

    @Override
    public String title() {
        return "Variational autoencoders: ELBO, IWAE, collapse, VQ-VAE, conditional VAE";
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
        LOG.info("11-02: run directory {}", dir);
        FileList files = new FileList();
        Map<String, Double> metrics = new LinkedHashMap<>();
        DataSpec pixels = DataSpec.image(1, data.train().height(), data.train().width(), PixelRange.ZERO_ONE);
        List<String> classes = data.test().classNames();
        StringBuilder report = new StringBuilder();
        report.append("# 11-02 Variational autoencoders — run report\n\n").append(data.note()).append("\n\n")
                .append("Profile ").append(options.profile()).append(", seed ").append(seed)
                .append(". Pixels are binarised (x ~ Bernoulli(intensity)): afresh for every training batch, once with a ")
                .append("fixed seed for the test set, so that the Bernoulli likelihoods below are proper NLLs in nats. ")
                .append("Course text: docs/topics/11-02-vae.md.\n\n");
        try (NDManager manager = AutoencodersTopicSupport.newManager()) {
            NDArray test = binarisedTest(manager, data.test(), seed);

            // 1. The main VAE: Bernoulli decoder, d = latent, KL warm-up over the first 10 % of steps.
            int d = s.latent();
            Vae vae = train("vae", mainSpec(s, pixels), manager,
                    data.train(), s, s.vaeSteps(), seed, topicRun, files);
            evaluate(manager, vae, test, s, metrics, "vae");
            CollapseDiagnostics diag = diagnose(manager, vae, test);
            metrics.put("vae_active_units", (double) diag.activeUnits());
            for (int j = 0; j < d; j++) {
                metrics.put("vae_kl_dim_" + j, diag.klPerDimension()[j]);
            }
            report.append("## The VAE (d = ").append(d).append(", Bernoulli decoder)\n\n")
                    .append("| test metric (nats per image) | value |\n|---|---|\n")
                    .append("| reconstruction −E_q log p(x\\|z) | ").append(fmt(metrics.get("vae_test_reconstruction"))).append(" |\n")
                    .append("| KL(q(z\\|x) ‖ p(z)) | ").append(fmt(metrics.get("vae_test_kl"))).append(" |\n")
                    .append("| −ELBO | ").append(fmt(metrics.get("vae_test_neg_elbo"))).append(" |\n")
                    .append("| IWAE NLL, K = ").append(s.iwaeSamples()).append(" (").append(s.iwaeImages()).append(" images) | ")
                    .append(fmt(metrics.get("vae_test_iwae_nll"))).append(" |\n")
                    .append("| −ELBO on the same images | ").append(fmt(metrics.get("vae_test_neg_elbo_iwae_images"))).append(" |\n")
                    .append("| ELBO gap (−ELBO − NLL) | ").append(fmt(metrics.get("vae_elbo_gap"))).append(" |\n")
                    .append("| active units (Var_x μ_j > 0.01) | ").append(diag.activeUnits()).append(" of ").append(d).append(" |\n\n");
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = test.get("0:16");
                NDArray recon = vae.decode(vae.encode(x));
                AutoencodersTopicSupport.imageGrid(NDArrays.concat(new NDList(x, recon), 0), 16,
                        files.add(run.image("reconstructions.png")));
                AutoencodersTopicSupport.imageGrid(vae.sample(scope, 64), 16, files.add(run.image("samples.png")));
                NDArray z = vae.encode(test.get("0:12"));
                NDArray z0 = z.get("0:6");
                NDArray z1 = z.get("6:12");
                AutoencodersTopicSupport.imageGrid(vae.decode(LatentPaths.interpolate(z0, z1, 10,
                        LatentPaths.Interpolation.LINEAR)), 10, files.add(run.image("interpolation-linear.png")));
                AutoencodersTopicSupport.imageGrid(vae.decode(LatentPaths.interpolate(z0, z1, 10,
                        LatentPaths.Interpolation.SPHERICAL)), 10, files.add(run.image("interpolation-spherical.png")));
                int[] dims = topDimensions(diag.klPerDimension(), Math.min(8, d));
                NDArray base = scope.zeros(new Shape(d));
                AutoencodersTopicSupport.imageGrid(vae.decode(LatentPaths.traversal(base, dims, -3, 3, 11)), 11,
                        files.add(run.image("traversal.png")));
                report.append("![reconstructions](images/reconstructions.png)\n\nTop row: binarised test images; bottom: ")
                        .append("decoder means at z = μ(x).\n\n![samples](images/samples.png)\n\nDecoder means at z ~ N(0, I).\n\n")
                        .append("![linear](images/interpolation-linear.png) ![spherical](images/interpolation-spherical.png)\n\n")
                        .append("Interpolations between μ of two test images, linear (left) and spherical (right).\n\n")
                        .append("![traversal](images/traversal.png)\n\nTraversal from z = 0: one row per latent dimension, the ")
                        .append(dims.length).append(" with the largest KL (").append(Arrays.toString(dims))
                        .append("), values −3 … 3.\n\n");
            }
            // Projections of μ.
            int n = Math.min(s.projectionPoints(), s.testSize() > 0 ? s.testSize() : (int) test.getShape().get(0));
            double[][] mu = AutoencodersTopicSupport.rows(vae.encode(test.get("0:" + n)));
            int[] labels = AutoencodersTopicSupport.labels(data.test(), n);
            Pca pca = Pca.fit(mu, 2);
            AutoencodersTopicSupport.scatter(pca.transform(mu), labels, classes, "PCA of posterior means μ(x)",
                    files.add(run.image("latent-pca.png")));
            Tsne tsne = new Tsne(TsneConfig.defaults(seed).withIterations(s.tsneIterations()));
            AutoencodersTopicSupport.scatter(tsne.embed(mu), labels, classes, "t-SNE of posterior means μ(x)",
                    files.add(run.image("latent-tsne.png")));
            report.append("![pca](images/latent-pca.png) ![tsne](images/latent-tsne.png)\n\nPCA and t-SNE of μ(x) for ").append(n)
                    .append(" test images.\n\n");

            // 2. A 2-D VAE: the latent space itself.
            Vae vae2 = train("vae-2d", twoDSpec(s, pixels), manager,
                    data.train(), s, s.smallSteps(), seed + 1, topicRun, files);
            evaluate(manager, vae2, test, s, metrics, "vae2d");
            AutoencodersTopicSupport.scatter(AutoencodersTopicSupport.rows(vae2.encode(test.get("0:" + n))), labels, classes,
                    "2-D VAE: posterior means μ(x)", files.add(run.image("latent-2d.png")));
            try (NDManager scope = manager.newSubManager()) {
                int side = 15;
                float[] grid = new float[side * side * 2];
                for (int i = 0; i < side; i++) {
                    for (int j = 0; j < side; j++) {
                        grid[2 * (i * side + j)] = (float) (-2.5 + 5.0 * j / (side - 1));
                        grid[2 * (i * side + j) + 1] = (float) (2.5 - 5.0 * i / (side - 1));
                    }
                }
                AutoencodersTopicSupport.imageGrid(vae2.decode(scope.create(grid, new Shape(side * side, 2))), side,
                        files.add(run.image("latent-2d-manifold.png")));
            }
            report.append("## A 2-D VAE\n\n![latent-2d](images/latent-2d.png) ![manifold](images/latent-2d-manifold.png)\n\n")
                    .append("μ(x) of test images, and the decoder means on a 15 × 15 grid of z in [−2.5, 2.5]². Unlike the ")
                    .append("2-D autoencoder of 11-01, the KL term packs codes around the origin, so every grid point decodes ")
                    .append("to something image-like. Test −ELBO ").append(fmt(metrics.get("vae2d_test_neg_elbo")))
                    .append(" nats.\n\n");

            // 3. Posterior collapse and its fixes.
            Map<String, KlSchedule> settings = collapseSchedules(s);
            String[] keys = {"beta8", "beta8_freebits", "beta1_warmup"};
            Map<String, double[]> klBars = new LinkedHashMap<>();
            report.append("## Posterior collapse and two fixes\n\n![collapse](images/collapse.png)\n\n")
                    .append("Three VAEs with d = ").append(d).append(", same data and steps. KL per dimension on the test set, ")
                    .append("sorted:\n\n| setting | active units (Var μ_j > 0.01) | dimensions with KL_j > 0.05 nats | KL (nats) | ")
                    .append("reconstruction (nats) |\n|---|---|---|---|---|\n");
            int i = 0;
            for (Map.Entry<String, KlSchedule> e : settings.entrySet()) {
                Engine.getInstance().setRandomSeed((int) seed + 50);
                Vae v = train("collapse-" + keys[i], mlpVae(d, s.hidden(), pixels, e.getValue()), manager, data.train(), s,
                        s.smallSteps(), seed + 50, topicRun, files);
                CollapseDiagnostics c = diagnose(manager, v, test);
                double recon = reconstruction(manager, v, test);
                double[] kl = c.klPerDimension();
                Arrays.sort(kl);
                double[] desc = new double[kl.length];
                for (int j = 0; j < kl.length; j++) {
                    desc[j] = kl[kl.length - 1 - j];
                }
                klBars.put(e.getKey(), desc);
                int informative = (int) Arrays.stream(kl).filter(value -> value > 0.05).count();
                metrics.put("collapse_" + keys[i] + "_active_units", (double) c.activeUnits());
                metrics.put("collapse_" + keys[i] + "_dims_kl_above_0_05", (double) informative);
                metrics.put("collapse_" + keys[i] + "_kl", c.totalKl());
                metrics.put("collapse_" + keys[i] + "_reconstruction", recon);
                report.append("| ").append(e.getKey()).append(" | ").append(c.activeUnits()).append(" of ").append(d)
                        .append(" | ").append(informative).append(" | ").append(fmt(c.totalKl())).append(" | ").append(fmt(recon)).append(" |\n");
                i++;
            }
            AutoencodersTopicSupport.profile(klBars, "KL per latent dimension (sorted), test set", "dimension (sorted by KL)",
                    "KL (nats)", files.add(run.image("collapse.png")));
            report.append("\nWith β = 8 the KL term dominates and most dimensions carry nothing (KL ≈ 0: q(z_j|x) = p(z_j) ")
                    .append("whatever x is). Free bits make the first 0.5 nats of each dimension free, so the optimiser stops ")
                    .append("pushing them to the prior; warm-up lets the decoder learn to use z before the KL weight arrives.\n\n");

            // 3b. A Gaussian decoder with a learned σ (σ-VAE) on the grey-level images.
            VaeModel sigmaModel = VaeModel.create(sigmaSpec(s, pixels), manager);
            Vae sigmaVae = sigmaModel.network();
            AutoencodersTopicSupport.train("sigma-vae", sigmaVae.objective(), manager,
                    batches(data.train(), s, seed + 55), s.smallSteps(), 1e-3, seed + 55, topicRun);
            AutoencodersTopicSupport.saveModel(sigmaModel, "sigma-vae", run, files);
            double sigma = Math.exp(sigmaVae.getParameters().get("logSigma").getArray().getFloat());
            double greyNegElbo;
            try (NDManager scope = manager.newSubManager()) {
                NDArray grey = data.test().toNDArray(scope, PixelRange.ZERO_ONE);
                ParameterStore ps = new ParameterStore(scope, false);
                greyNegElbo = -perBatch(scope, grey, 250, x -> sigmaVae.elbo(ps, x)).mean().getFloat();
                NDArray x = grey.get("0:16");
                AutoencodersTopicSupport.imageGrid(NDArrays.concat(new NDList(x, sigmaVae.decode(sigmaVae.encode(x)),
                        sigmaVae.sample(scope, 16)), 0), 16, files.add(run.image("gaussian-decoder.png")));
            }
            metrics.put("sigma_vae_sigma", sigma);
            metrics.put("sigma_vae_test_neg_elbo", greyNegElbo);
            report.append("## A Gaussian decoder with a learned σ\n\n![gaussian](images/gaussian-decoder.png)\n\n")
                    .append("The same VAE on the grey-level images with p(x|z) = N(μ(z), σ²I) and one learned log σ ")
                    .append("(σ-VAE). Rows: test images, reconstructions, samples. Learned σ = ").append(fmt(sigma))
                    .append(" (from 1.0); test −ELBO ").append(fmt(greyNegElbo)).append(" nats per image — a continuous ")
                    .append("density, so negative values are possible and the number is not comparable with the Bernoulli ")
                    .append("models above. The squared error is divided by 2σ², so σ acts like β = 2σ² on a squared-error VAE: ")
                    .append("a smaller σ makes reconstruction weigh more against the KL.\n\n");

            // 4. VQ-VAE with an EMA codebook and dead-code restarts.
            int codes = VQ_CODES;
            VqVaeModel vqModel = VqVaeModel.create(vqSpec(pixels), manager);
            VqVae vq = vqModel.network();
            AutoencodersTopicSupport.train("vq-vae",
                    Objective.of(vq, (ctx, batch) -> vq.loss(ctx.parameters(), binarise(batch.head()), ctx.training())),
                    manager, batches(data.train(), s, seed + 60), s.vqSteps(), 2e-3, seed + 60, topicRun);
            AutoencodersTopicSupport.saveModel(vqModel, "vq-vae", run, files);
            double vqRecon;
            long[] usage = new long[codes];
            try (NDManager scope = manager.newSubManager()) {
                NDArray losses = perBatch(scope, test, 250, x -> ReconstructionLoss.BCE_WITH_LOGITS.perExample(
                        logit(vq.decode(vq.encode(x))), x));
                vqRecon = losses.mean().getFloat();
                NDArray idx = perBatch(scope, test, 250, vq::encodeIndices);
                for (long k : idx.toType(DataType.INT64, false).toLongArray()) {
                    usage[(int) k]++;
                }
                NDArray x = test.get("0:16");
                AutoencodersTopicSupport.imageGrid(NDArrays.concat(new NDList(x, vq.decode(vq.encode(x))), 0), 16,
                        files.add(run.image("vqvae-reconstructions.png")));
            }
            double total = Arrays.stream(usage).sum();
            double entropy = 0;
            int used = 0;
            double[] sortedUsage = new double[codes];
            for (int k = 0; k < codes; k++) {
                double p = usage[k] / total;
                if (p > 0) {
                    entropy -= p * Math.log(p);
                    used++;
                }
                sortedUsage[k] = usage[k];
            }
            Arrays.sort(sortedUsage);
            double[] desc = new double[codes];
            for (int k = 0; k < codes; k++) {
                desc[k] = sortedUsage[codes - 1 - k] / total;
            }
            AutoencodersTopicSupport.profile(Map.of("fraction of test positions", desc), "VQ-VAE code usage (sorted)",
                    "code (sorted by use)", "fraction", files.add(run.image("vqvae-usage.png")));
            metrics.put("vqvae_test_reconstruction", vqRecon);
            metrics.put("vqvae_perplexity", Math.exp(entropy));
            metrics.put("vqvae_codes_used", (double) used);
            Shape latent = vq.latentShape();
            report.append("## VQ-VAE\n\n![vq](images/vqvae-reconstructions.png) ![usage](images/vqvae-usage.png)\n\n")
                    .append("Latent: a ").append(latent.get(1)).append(" × ").append(latent.get(2)).append(" grid of indices into ")
                    .append(codes).append(" codes of size ").append(latent.get(0)).append(" (EMA updates, dead-code restarts). ")
                    .append("Test reconstruction ").append(fmt(vqRecon)).append(" nats per image; ").append(used)
                    .append(" codes used, perplexity ").append(fmt(Math.exp(entropy))).append(" of ").append(codes)
                    .append(". The grid holds at most ").append(fmt(latent.get(1) * latent.get(2) * Math.log(codes)))
                    .append(" nats (positions · log K).\n\n");

            // 5. Conditional VAE with a learned prior p(z|y).
            int k = data.train().numClasses();
            ConditionalVaeModel cvaeModel = ConditionalVaeModel.create(cvaeSpec(s, pixels, k), manager);
            ConditionalVae cvae = cvaeModel.network();
            AutoencodersTopicSupport.train("cvae", Objective.of(cvae, (ctx, batch) -> cvae.loss(ctx.parameters(),
                            binarise(batch.get(0)), batch.get(1), ctx.step(), ctx.training())),
                    manager, batches(data.train(), s, seed + 70), s.smallSteps(), 1e-3, seed + 70, topicRun);
            AutoencodersTopicSupport.saveModel(cvaeModel, "cvae", run, files);
            try (NDManager scope = manager.newSubManager()) {
                long[] ys = new long[k * 10];
                for (int c = 0; c < k; c++) {
                    Arrays.fill(ys, c * 10, c * 10 + 10, c);
                }
                AutoencodersTopicSupport.imageGrid(cvae.sample(scope.create(ys)), 10, files.add(run.image("cvae-classes.png")));
                NDArray y = scope.create(AutoencodersTopicSupport.labels(data.test(), (int) test.getShape().get(0)));
                ParameterStore ps = new ParameterStore(scope, false);
                double negElbo = 0;
                int count = 0;
                for (int from = 0; from < test.getShape().get(0); from += 250) {
                    int to = (int) Math.min(test.getShape().get(0), from + 250);
                    try (NDManager b = scope.newSubManager()) {
                        NDArray xb = test.get(from + ":" + to);
                        xb.attach(b);
                        NDArray yb = y.get(from + ":" + to);
                        yb.attach(b);
                        negElbo += cvae.loss(ps, xb, yb, Long.MAX_VALUE, false).terms().get("negElbo").getFloat() * (to - from);
                        count += to - from;
                    }
                }
                metrics.put("cvae_test_neg_elbo", negElbo / count);
            }
            report.append("## Conditional VAE\n\n![cvae](images/cvae-classes.png)\n\nOne row per class (")
                    .append(String.join(", ", classes)).append("): z ~ p(z|y) from the learned per-class prior, decoded with y. ")
                    .append("Test −ELBO(x, y) ").append(fmt(metrics.get("cvae_test_neg_elbo"))).append(" nats.\n\n");
        }
        AutoencodersTopicSupport.writeMetrics(metrics, files.add(dir.resolve("metrics.json")));
        files.add(run.configFile());
        report.append(AutoencodersTopicSupport.trainingCurves(run, files));
        report.append("## Saved models\n\nEvery model above is in `models/<name>/` (`vae`, `vae-2d`, `collapse-beta8`, ")
                .append("`collapse-beta8_freebits`, `collapse-beta1_warmup`, `sigma-vae`, `vq-vae`, `cvae`), in gen4j's ")
                .append("saved-model format: `ModelStore.load(dir, manager, GenerativeModel.class)` gives back a VAE or the ")
                .append("conditional VAE to sample from, `VqVaeModel.class` the VQ-VAE.\n\n");
        report.append("## Metrics\n\nAll values (including the KL of every latent dimension) are in `metrics.json`.\n");
        Files.writeString(files.add(run.reportFile()), report.toString(), StandardCharsets.UTF_8);
        return new TopicResult(dir, metrics, files.all());
    }

    /** @return the list of files this topic writes */
    static List<String> figures() {
        return List.of("reconstructions.png", "samples.png", "interpolation-linear.png", "interpolation-spherical.png",
                "traversal.png", "latent-pca.png", "latent-tsne.png", "latent-2d.png", "latent-2d-manifold.png",
                "collapse.png", "gaussian-decoder.png", "vqvae-reconstructions.png", "vqvae-usage.png", "cvae-classes.png", "metrics.json",
                "report.md");
    }

    static VaeSpec mlpVae(int d, int hidden, DataSpec pixels, KlSchedule kl) {
        return new VaeSpec(NetworkSpec.mlp(hidden), NetworkSpec.mlp(hidden), VaeConfig.defaults(d).withKl(kl), pixels);
    }

    private static io.gen4j.core.data.BatchSource batches(ImageDataset train, Settings s, long seed) {
        return train.batches(s.batch(), seed, true, PixelRange.ZERO_ONE);
    }

    /** Builds the VAE a spec describes, trains it on binarised batches and saves it to {@code models/<name>/}. */
    private static Vae train(String name, VaeSpec spec, NDManager manager, ImageDataset train, Settings s, int steps,
            long seed, TopicRun run, FileList files) throws java.io.IOException {
        VaeModel model = VaeModel.create(spec, manager);
        Vae vae = model.network();
        AutoencodersTopicSupport.train(name, Objective.of(vae, (ctx, batch) -> vae.loss(ctx.parameters(),
                binarise(batch.head()), ctx.step(), ctx.training())), manager, batches(train, s, seed), steps, 1e-3,
                seed, run);
        AutoencodersTopicSupport.saveModel(model, name, run.directory(), files);
        return vae;
    }

    /** x ~ Bernoulli(intensity), in the manager of the intensities. */
    private static NDArray binarise(NDArray intensity) {
        return intensity.getManager().randomUniform(0, 1, intensity.getShape(), intensity.getDataType())
                .lt(intensity).toType(intensity.getDataType(), false);
    }

    private static NDArray binarisedTest(NDManager manager, ImageDataset test, long seed) {
        Engine.getInstance().setRandomSeed((int) seed + 1000);
        NDArray x = test.toNDArray(manager, PixelRange.ZERO_ONE);
        NDArray b = binarise(x);
        x.close();
        return b;
    }

    /** Probabilities back to logits for the BCE of a decoder mean. */
    private static NDArray logit(NDArray p) {
        NDArray c = Scalars.clip(p, 1e-6, 1 - 1e-6);
        return c.div(c.neg().add(1)).log();
    }

    private static NDArray perBatch(NDManager manager, NDArray data, int batch, java.util.function.Function<NDArray, NDArray> fn) {
        NDList parts = new NDList();
        long n = data.getShape().get(0);
        for (long from = 0; from < n; from += batch) {
            long to = Math.min(n, from + batch);
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = data.get(from + ":" + to);
                x.attach(scope);
                NDArray out = fn.apply(x);
                out.attach(manager);
                parts.add(out);
            }
        }
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
    }

    private static void evaluate(NDManager manager, Vae vae, NDArray test, Settings s, Map<String, Double> metrics, String prefix) {
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(scope, false);
            NDArray parts = perBatch(scope, test, 250, x -> {
                Posterior q = vae.posterior(ps, x, false);
                NDArray recon = vae.logLikelihoodGiven(ps, x, q.sample(), false).neg();
                NDArray kl = q.klToStandardNormal().sum(new int[] {1});
                return NDArrays.stack(new NDList(recon, kl), 1);
            });
            double recon = parts.get(":, 0").mean().getFloat();
            double kl = parts.get(":, 1").mean().getFloat();
            metrics.put(prefix + "_test_reconstruction", recon);
            metrics.put(prefix + "_test_kl", kl);
            metrics.put(prefix + "_test_neg_elbo", recon + kl);
            int m = (int) Math.min(s.iwaeImages(), test.getShape().get(0));
            long t0 = System.nanoTime();
            NDArray iwae = perBatch(scope, test.get("0:" + m), 100, x -> vae.importanceWeightedBound(ps, x, s.iwaeSamples()));
            NDArray elboSame = perBatch(scope, test.get("0:" + m), 100, x -> vae.elbo(ps, x));
            double nll = -iwae.mean().getFloat();
            double negElboSame = -elboSame.mean().getFloat();
            LOG.info("{}: IWAE NLL (K = {}, {} images) {} nats in {} s", prefix, s.iwaeSamples(), m, fmt(nll),
                    fmt((System.nanoTime() - t0) / 1e9));
            metrics.put(prefix + "_test_iwae_nll", nll);
            metrics.put(prefix + "_test_neg_elbo_iwae_images", negElboSame);
            metrics.put(prefix + "_elbo_gap", negElboSame - nll);
        }
    }

    private static CollapseDiagnostics diagnose(NDManager manager, Vae vae, NDArray test) {
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(scope, false);
            NDArray both = perBatch(scope, test, 250, x -> {
                Posterior q = vae.posterior(ps, x, false);
                return q.mu().concat(q.logVar(), 1);
            });
            NDList halves = both.split(2, 1);
            return CollapseDiagnostics.compute(halves.get(0), halves.get(1), 0.01);
        }
    }

    private static double reconstruction(NDManager manager, Vae vae, NDArray test) {
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(scope, false);
            NDArray r = perBatch(scope, test, 250, x -> vae.logLikelihoodGiven(ps, x, vae.posterior(ps, x, false).sample(), false).neg());
            return r.mean().getFloat();
        }
    }

    private static int[] topDimensions(double[] kl, int count) {
        Integer[] order = new Integer[kl.length];
        for (int i = 0; i < kl.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(kl[b], kl[a]));
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = order[i];
        }
        return out;
    }

    @Override
    public String toString() {
        return id() + " " + title();
    }
}
