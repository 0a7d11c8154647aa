package io.gen4j.examples.topics.latent;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.gen4j.autoencoders.KlAutoencoderModel;
import io.gen4j.autoencoders.KlAutoencoderSpec;
import io.gen4j.autoencoders.LatentScale;
import io.gen4j.core.data.BatchOrder;
import io.gen4j.core.data.BatchSource;
import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.data.TensorBatches;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.io.RunDirectory;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.LatentCodec;
import io.gen4j.core.model.ModelSpec;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.nn.SpatialTransformer;
import io.gen4j.core.nn.UNet;
import io.gen4j.core.nn.UNetConfig;
import io.gen4j.core.train.Ema;
import io.gen4j.core.train.FitResult;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.viz.ImageGrid;
import io.gen4j.core.viz.PlotSpec;
import io.gen4j.core.viz.Plots;
import io.gen4j.core.viz.Series;
import io.gen4j.diffusion.DdimSampler;
import io.gen4j.diffusion.DiffusionModel;
import io.gen4j.diffusion.NoiseSchedule;
import io.gen4j.diffusion.Prediction;
import io.gen4j.diffusion.Spacing;
import io.gen4j.diffusion.TimeGrid;
import io.gen4j.diffusion.guidance.ClassifierFreeGuidance;
import io.gen4j.diffusion.guidance.NullCondition;
import io.gen4j.diffusion.latent.LatentDiffusionFamily;
import io.gen4j.diffusion.latent.LatentDiffusionModel;
import io.gen4j.diffusion.latent.LatentDiffusionNetwork;
import io.gen4j.diffusion.latent.LatentDiffusionPreset;
import io.gen4j.diffusion.latent.LatentDiffusionSpec;
import io.gen4j.diffusion.latent.TextToImagePipeline;
import io.gen4j.diffusion.text.CaptionedBatches;
import io.gen4j.diffusion.text.ContrastiveImageText;
import io.gen4j.eval.ClipScore;
import io.gen4j.eval.ClipScoreConvention;
import io.gen4j.eval.Features;
import io.gen4j.diffusion.text.LabelCaptions;
import io.gen4j.diffusion.text.TextEncoder;
import io.gen4j.diffusion.text.TextEncoderConfig;
import io.gen4j.diffusion.text.WordTokenizer;
import io.gen4j.examples.topics.SampleQuality;
import io.gen4j.examples.topics.Topic;
import io.gen4j.examples.topics.TopicData;
import io.gen4j.examples.topics.TopicOptions;
import io.gen4j.examples.topics.TopicResult;
import io.gen4j.examples.topics.TopicRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Course topic 11-06: latent diffusion and a mini Stable Diffusion on CIFAR-10 when present,
 * FashionMNIST (padded to 32×32) otherwise, captioned from the labels ({@link LabelCaptions}). Trains the KL autoencoder and estimates its latent scale, shows reconstructions and the
 * latent space, trains a latent U-Net with spatial transformers jointly with a text encoder on
 * captions built from the labels (caption dropout 10 %), draws text-prompted grids with and without
 * classifier-free guidance, shows the cross-attention maps of a prompt, and measures the cost of
 * pixel against latent space (FLOPs, training step time, sampling time, FID at equal training
 * time), writing everything to report.md; the model is saved for {@code gen4j sample}.
 */
public final class LatentDiffusionTopic implements Topic {

    private static final PixelRange RANGE = PixelRange.MINUS_ONE_ONE;

    @Override
    public String id() {
        return "11-06";
    }

    @Override
    public String title() {
        return "Latent diffusion: KL autoencoder, latent U-Net with text cross-attention, a mini Stable Diffusion";
    }

    @Override
    public TopicResult run(TopicOptions options) throws Exception {
        LatentTopicConfig config = LatentTopicConfig.forProfile(options.profile());
        TopicData data = TopicData.load(DatasetId.CIFAR10, DatasetId.FASHION_MNIST, options.dataPath()).padTo(32);
        LabelCaptions captions = captionsOf(data);
        TopicRun topicRun = TopicRun.open(options, "11-06-latent", config);
        RunDirectory run = topicRun.directory();
        Map<String, Double> metrics = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        long seed = options.seed();
        StringBuilder header = new StringBuilder("# 11-06 Latent diffusion\n\n").append(data.note()).append("\n\n")
                .append("CIFAR-10 when present, FashionMNIST (padded to 32×32) otherwise; captions from the labels "
                        + "with templates and synonyms; this run: ").append(data.datasetName()).append(", prompts ")
                .append(String.join("; ", captions.prompts())).append(". Profile ")
                .append(options.profile().name().toLowerCase(Locale.ROOT)).append(".\n\n");
        Engine.getInstance().setRandomSeed((int) seed);
        Phases phases = new Phases(run.root().resolve("phases.csv"));
        try (NDManager manager = NDManager.newBaseManager()) {
            int channels = data.train().channels();
            DataSpec images = DataSpec.image(channels, 32, 32, RANGE);

            // 1. the latent autoencoder, trained once and frozen
            KlAutoencoderModel vae = KlAutoencoderModel.create(new KlAutoencoderSpec(config.latentChannels(),
                    config.vaeWidth(), config.klWeight(), 1.0, images), manager);
            // Adam on the preset's autoencoder recipe (warm-up + cosine, clip 1)
            ObjectiveStep vaeStep = config.preset().autoencoder().training().step(vae.objective()).optName("vae")
                    .build();
            FitResult vaeFit = topicRun.fit("vae", vaeStep, data.train().batches(config.vaeBatch(), seed + 1, true, RANGE),
                    manager, config.vaeSteps(), seed, run.root().resolve("metrics_vae.csv"), List.of());
            metrics.put("vae_train_seconds", vaeFit.elapsedNanos() / 1e9);
            try (NDManager scope = manager.newSubManager()) {
                int n = Math.min(config.scaleImages(), data.train().size());
                NDArray x = data.train().subset(0, n).toNDArray(scope, RANGE);
                vae = vae.withLatentScale(LatentScale.estimate(vae, x, 256));
            }
            metrics.put("latent_scale", vae.spec().latentScale());
            files.add(ModelStore.save(vae, run.root().resolve("vae")).resolve(ModelStore.SPEC_FILE));
            phases.mark("autoencoder: training, latent scale");
            files.addAll(autoencoderFigures(manager, vae, data, run, metrics));

            // 2. the training images, encoded once
            int n = Math.min(config.latentImages(), data.train().size());
            Shape latent = vae.latentShape();
            float[] latents = new float[Math.toIntExact(n * latent.size())];
            for (int i = 0; i < n; i += 256) {
                try (NDManager scope = manager.newSubManager()) {
                    int to = Math.min(n, i + 256);
                    float[] z = vae.encode(data.train().subset(i, to).toNDArray(scope, RANGE)).toFloatArray();
                    System.arraycopy(z, 0, latents, Math.toIntExact(i * latent.size()), z.length);
                }
            }
            int[] labels = Arrays.copyOf(data.train().labels(), n);
            phases.mark("autoencoder figures, encoding " + n + " training images");

            // 3. latent diffusion with text cross-attention
            WordTokenizer tokenizer = WordTokenizer.of(captions.vocabulary(), captions.maxWords());
            NoiseSchedule schedule = config.preset().schedule();
            LatentDiffusionSpec spec = config.preset().spec(vae, tokenizer, captions.prompts(), images);
            LatentDiffusionModel ldm = LatentDiffusionFamily.create(spec, vae, manager);
            LatentDiffusionNetwork net = ldm.diffusionNetwork();
            header.append(String.format(Locale.ROOT, "Latent U-Net %s: %d parameters (text encoder included), "
                    + "%.3f GFLOP per forward pass per latent.%n%n", spec.unet(), count(net),
                    2e-9 * net.unet().macsPerExample()));
            ObjectiveStep step = diffusionStep(net, config);
            BatchSource source = new CaptionedBatches(new TensorBatches(latents, latent.getShape(), labels,
                    new BatchOrder(n, config.batch(), seed + 2, true)), captions::caption, tokenizer, seed + 3);
            FitResult ldmFit = topicRun.fit("ldm", step, source, manager, config.ldmSteps(), seed,
                    run.metricsCsv(), List.of());
            double ldmSeconds = ldmFit.elapsedNanos() / 1e9;
            metrics.put("ldm_train_seconds", ldmSeconds);
            phases.mark("latent diffusion: training " + config.ldmSteps() + " steps");
            files.add(lossPlot(run, metrics));
            try (Ema.Swap swap = step.ema().swapIn()) {
                files.add(ModelStore.save(ldm, run.root().resolve("model")).resolve(ModelStore.SPEC_FILE));
                files.addAll(promptGrids(manager, ldm, config, run));
                files.add(attentionMaps(manager, ldm, config, run, captions.prompt(1, 0)));
                phases.mark("latent diffusion: prompt grids, attention maps");
                try (NDManager scope = manager.newSubManager()) {
                    SampleQuality.Result q = SampleQuality.fid(ldm, SampleOptions.defaults(), data, config.fidSamples(),
                            seed, scope);
                    metrics.put("fid_latent", q.fid());
                    metrics.put("fid_floor", q.floor());
                    run.appendReport("Sample quality (latent)", q.summary() + String.format(Locale.ROOT,
                            "; the ten prompts in turn, w = %.1f, DDIM %d steps, %.0f s.", config.guidanceScale(),
                            config.samplerSteps(), q.seconds()));
                }
                phases.mark("latent diffusion: FID (" + config.fidSamples() + " samples)");
                clipScore(manager, ldm, data, config, topicRun, tokenizer, captions, seed, metrics);
                phases.mark("CLIP: training " + config.clipSteps() + " steps, scoring " + config.clipSamples()
                        + " samples");
            }

            // 4. pixel vs latent
            files.addAll(costComparison(manager, ldm, vae, data, config, topicRun, tokenizer, captions, ldmSeconds, seed,
                    metrics, phases));
        }
        run.appendReport("Time per phase", phases.table(metrics));
        String body = Files.exists(run.reportFile()) ? Files.readString(run.reportFile()) : "";
        run.writeReport(header + body);
        files.add(run.reportFile());
        return new TopicResult(run.root(), metrics, files);
    }

    private static ObjectiveStep diffusionStep(LatentDiffusionNetwork net, LatentTopicConfig config) {
        // the preset's objective (ε-MSE, caption dropout) and step (AdamW, warm-up + cosine, clip, EMA)
        return config.preset().step(config.preset().objective(net)).optName("ldm").build();
    }

    private static long count(Block block) {
        long c = 0;
        for (var p : block.getParameters().values()) {
            c += p.getArray().size();
        }
        return c;
    }

    private static List<Path> autoencoderFigures(NDManager manager, KlAutoencoderModel vae, TopicData data,
            RunDirectory run, Map<String, Double> metrics) throws IOException {
        List<Path> files = new ArrayList<>();
        try (NDManager scope = manager.newSubManager()) {
            int n = Math.min(500, data.test().size());
            NDArray x = data.test().subset(0, n).toNDArray(scope, RANGE);
            NDArray z = vae.encode(x);
            NDArray xHat = Scalars.clip(vae.decode(z), -1, 1);
            double mse = xHat.sub(x).square().mean().getFloat();
            double psnr = 10 * Math.log10(4 / mse);
            metrics.put("vae_test_mse", mse);
            metrics.put("vae_test_psnr", psnr);
            int k = Math.min(8, n);
            NDArray pair = NDArrays.concat(new NDList(x.get("0:" + k), xHat.get("0:" + k)));
            Path rec = run.image("vae_reconstructions.png");
            ImageGrid.writePng(pair, RANGE, k, 2, rec);
            files.add(rec);
            long[] ls = vae.latentShape().getShape();
            NDArray channels = Scalars.clip(Scalars.dividedBy(z.get("0:" + k).reshape(k * ls[0], 1, ls[1], ls[2]), 3), -1, 1);
            Path space = run.image("latent_channels.png");
            ImageGrid.writePng(channels, RANGE, (int) ls[0], 1, space);
            files.add(space);
            double[] values = z.toType(DataType.FLOAT64, false).toDoubleArray();
            double mean = Arrays.stream(values).average().orElse(0);
            double sd = Math.sqrt(Arrays.stream(values).map(v -> (v - mean) * (v - mean)).average().orElse(0));
            metrics.put("test_latent_sd", sd);
            int bins = 60;
            double[] centres = new double[bins];
            double[] density = new double[bins];
            double[] gauss = new double[bins];
            for (int b = 0; b < bins; b++) {
                centres[b] = -4 + 8.0 * (b + 0.5) / bins;
                gauss[b] = Math.exp(-centres[b] * centres[b] / 2) / Math.sqrt(2 * Math.PI);
            }
            for (double v : values) {
                int b = (int) Math.floor((v + 4) / 8 * bins);
                if (b >= 0 && b < bins) {
                    density[b] += bins / 8.0 / values.length;
                }
            }
            Path hist = run.image("latent_histogram.png");
            Plots.line(List.of(new Series("scaled latents s·z (test)", centres, density),
                    new Series("N(0, 1)", centres, gauss)),
                    PlotSpec.of("Scaled latents against the diffusion prior").withLabels("value", "density"), false, hist);
            files.add(hist);
            run.appendReport("Latent autoencoder", String.format(Locale.ROOT, "KL autoencoder %s: an image of "
                    + "%s becomes a latent of %s (%.1f× fewer numbers). Estimated latent scale s = %.5f (1/σ̂ over "
                    + "the training latents; SD's is 0.18215). On %d test images: MSE %.4f (PSNR %.1f dB in [−1, 1]), "
                    + "scaled latents have mean %.3f and standard deviation %.3f. Top row: test images; bottom: "
                    + "reconstructions.", vae.spec(), Arrays.toString(vae.spec().data().shape()), vae.latentShape(),
                    (double) new Shape(vae.spec().data().shape()).size() / vae.latentShape().size(),
                    vae.spec().latentScale(), n, mse, psnr, mean, sd));
            run.appendImage("reconstructions", rec);
            run.appendReport("Latent space", "The " + ls[0] + " latent channels of " + k + " test images (one row "
                    + "per image, values /3 to grey), and the histogram of all scaled test latents against N(0, 1).");
            run.appendImage("latent channels", space);
            run.appendImage("latent histogram", hist);
        }
        return files;
    }

    private static Path lossPlot(RunDirectory run, Map<String, Double> metrics) throws IOException {
        Path file = run.image("training_loss.png");
        TopicRun.metricCurve(run.metricsCsv(), "loss", PlotSpec.of("Latent diffusion: L_simple on latents")
                .withLabels("step", "loss"), true, file);
        List<String> rows = Files.readAllLines(run.metricsCsv());
        List<String> header = Arrays.asList(rows.get(0).split(","));
        String[] last = rows.get(rows.size() - 1).split(",", -1);
        metrics.put("ldm_final_loss", Double.parseDouble(last[header.indexOf("loss")]));
        run.appendReport("Latent diffusion training", String.format(Locale.ROOT, "ε-MSE on scaled latents with "
                + "10 %% caption dropout, final %.4f; %.0f s.", metrics.get("ldm_final_loss"),
                metrics.get("ldm_train_seconds")));
        run.appendImage("training loss", file);
        return file;
    }

    private static List<Path> promptGrids(NDManager manager, LatentDiffusionModel ldm, LatentTopicConfig config,
            RunDirectory run) throws IOException {
        List<Path> files = new ArrayList<>();
        List<String> prompts = new ArrayList<>();
        List<String> canonical = ldm.spec().text().prompts();
        for (String p : canonical) {
            for (int j = 0; j < config.samplesPerPrompt(); j++) {
                prompts.add(p);
            }
        }
        StringBuilder text = new StringBuilder("One row per prompt, in label order: ")
                .append(String.join("; ", canonical)).append(". Same start noise in both grids. ");
        try (NDManager scope = manager.newSubManager()) {
            NDArray zT = scope.randomNormal(new Shape(prompts.size()).addAll(ldm.codec().latentShape()));
            ParameterStore ps = new ParameterStore(scope, false);
            TimeGrid grid = TimeGrid.spaced(ldm.spec().schedule().betas().length, config.samplerSteps(), Spacing.LINSPACE);
            for (double w : new double[] {1.0, config.guidanceScale()}) {
                TextToImagePipeline p = ldm.pipeline(ldm.guidedModel(ps, w, scope), DdimSampler.deterministic(), grid);
                TextToImagePipeline.Result r = p.generate(prompts, zT, scope);
                Path file = run.image(String.format(Locale.ROOT, "prompts_w%.0f.png", w));
                ImageGrid.writePng(r.images(), RANGE, config.samplesPerPrompt(), 2, file);
                files.add(file);
                text.append(String.format(Locale.ROOT, "w = %.1f: %.1f s for %d images (sampler %.1f s, decoder %.2f s). ",
                        w, (r.samplerTime().toMillis() + r.decodeTime().toMillis()) / 1e3, prompts.size(),
                        r.samplerTime().toMillis() / 1e3, r.decodeTime().toMillis() / 1e3));
            }
        }
        run.appendReport("Text-prompted samples", text + "DDIM η = 0, " + config.samplerSteps()
                + " steps; w = 1 is the conditional model without guidance.");
        run.appendImage("prompts, w = 1", files.get(0));
        run.appendImage("prompts, guided", files.get(1));
        return files;
    }

    private static Path attentionMaps(NDManager manager, LatentDiffusionModel ldm, LatentTopicConfig config,
            RunDirectory run, String prompt) throws IOException {
        WordTokenizer tokenizer = ldm.spec().text().tokenizer();
        int[] ids = tokenizer.ids(prompt);
        int tokens = 0;
        while (tokens < ids.length && ids[tokens] != WordTokenizer.PAD) {
            tokens++;
        }
        long[] ls = ldm.codec().latentShape().getShape();
        // attention weights by resolution (query count H·W), summed over steps and blocks
        java.util.TreeMap<Long, float[]> sums = new java.util.TreeMap<>();
        List<SpatialTransformer> probed = new ArrayList<>();
        for (Block b : ldm.diffusionNetwork().unet().contextBlocks()) {
            if (b instanceof SpatialTransformer st) {
                probed.add(st);
            }
        }
        int columns;
        long[] resolution = new long[1];
        Path file = run.image("attention_maps.png");
        try (NDManager scope = manager.newSubManager()) {
            for (SpatialTransformer st : probed) {
                st.setProbe(w -> {   // row 0 = the caption's branch of the guided batch
                    float[] v = w.get(0).toFloatArray();
                    float[] acc = sums.computeIfAbsent(w.getShape().get(1), k -> new float[v.length]);
                    for (int i = 0; i < v.length; i++) {
                        acc[i] += v[i];
                    }
                });
            }
            TextToImagePipeline p = ldm.pipeline(ldm.guidedModel(new ParameterStore(scope, false), config.guidanceScale(),
                    scope), DdimSampler.deterministic(), TimeGrid.spaced(ldm.spec().schedule().betas().length,
                    config.samplerSteps(), Spacing.LINSPACE));
            NDArray image = p.generate(List.of(prompt), scope).images();
            probed.forEach(st -> st.setProbe(null));
            int size = (int) image.getShape().get(2);
            long hw = sums.lastKey();   // the finest resolution
            float[] sum = sums.get(hw);
            long side = Math.round(Math.sqrt(hw));
            resolution[0] = side;
            NDList panels = new NDList(image.get(0).expandDims(0));
            for (int k = 0; k < tokens; k++) {
                float[] map = new float[Math.toIntExact(hw)];
                float max = 1e-12f;
                for (int q = 0; q < hw; q++) {
                    map[q] = sum[q * ids.length + k];
                    max = Math.max(max, map[q]);
                }
                NDArray m = Scalars.times(Scalars.dividedBy(scope.create(map, new Shape(1, 1, side, side)), max), 2).sub(1);
                m = m.repeat(2, size / side).repeat(3, size / side);
                panels.add(m.repeat(1, image.getShape().get(1)));
            }
            columns = panels.size();
            ImageGrid.writePng(NDArrays.concat(panels), RANGE, columns, 2, file);
        }
        List<String> words = new ArrayList<>(List.of("<start>"));
        words.addAll(WordTokenizer.words(prompt));
        run.appendReport("Cross-attention maps", "Prompt \"" + prompt + "\" (w = " + config.guidanceScale()
                + "): the image, then for each token (" + String.join(", ", words) + ") the cross-attention weight "
                + "its key receives from each latent pixel, summed over the sampler's steps and the spatial transformers "
                + "at the finest resolution that has them (" + resolution[0] + "×" + resolution[0] + " of the " + ls[1]
                + "×" + ls[2] + " latent, shown upsampled), normalised to its maximum.");
        run.appendImage("attention maps", file);
        return file;
    }

    /** The identity codec: a pixel-space model run through the same pipeline. */
    private record Identity(Shape latentShape) implements LatentCodec {
        @Override
        public NDArray encode(NDArray x) {
            return x;
        }

        @Override
        public NDArray decode(NDArray z) {
            return z;
        }
    }

    /**
     * The pixel-space text-to-image model of the comparison, as a {@link GenerativeModel} for the FID.
     * Every pixel sample (timing, grid, FID) is drawn {@code batch} prompts per sampler call: the
     * pixel U-Net's cost per image grows with the batch on a CPU (2026-12-02 cpu run, load average
     * ~2: 0.78 s per image in a batch of 16, 3.6 s in a batch of 40, 4.8 s in FID chunks of 64; a
     * DJL forward keeps every intermediate array of a sampler step alive until the step's scope
     * closes, so a guided batch of 128 at 32×32 holds gigabytes of fresh pages per step). The
     * sampler, its steps and w are unchanged.
     */
    private record PixelModel(DataSpec data, LatentDiffusionNetwork network, WordTokenizer tokenizer,
            LabelCaptions captions, NoiseSchedule schedule, double guidance, int steps, int batch)
            implements GenerativeModel {
        @Override
        public ModelSpec spec() {
            return new ModelSpec() {
                @Override
                public String family() {
                    return "pixel-text-diffusion (topic 11-06 comparison, not saved)";
                }

                @Override
                public DataSpec data() {
                    return data;
                }
            };
        }

        TextToImagePipeline pipeline(NDManager scope) {
            TextEncoder text = network.text().orElseThrow();
            ParameterStore ps = new ParameterStore(scope, false);
            TextToImagePipeline.TextConditioner conditioner = (prompts, m) -> {
                NDList t = tokenizer.encode(prompts, m);
                return text.condition(new ParameterStore(m, false), t.get(0), t.get(1), false);
            };
            var empty = (io.gen4j.core.model.Condition.Embedding) conditioner.condition(List.of(""), scope);
            DiffusionModel plain = new DiffusionModel(network.denoiser(ps, false), schedule, Prediction.EPSILON)
                    .withClipX0(1);
            DiffusionModel model = ClassifierFreeGuidance.guide(plain, guidance, 0,
                    NullCondition.embedding(empty.context(), empty.mask()));
            long[] s = data.shape();
            return new TextToImagePipeline(conditioner, model, DdimSampler.deterministic(),
                    TimeGrid.spaced(schedule.steps(), steps, Spacing.LINSPACE), new Identity(new Shape(s)), new Shape(s), 1);
        }

        @Override
        public NDArray sample(NDManager manager, int n, SampleOptions options) {
            List<String> all = captions.prompts();
            List<String> prompts = new ArrayList<>();
            for (int label : options.labels(n, all.size())) {
                prompts.add(all.get(label));
            }
            return images(prompts, manager);
        }

        /** One image per prompt, sampled {@code batch} prompts at a time, in {@code manager}. */
        NDArray images(List<String> prompts, NDManager manager) {
            NDList chunks = new NDList();
            try (NDManager scope = manager.newSubManager()) {
                TextToImagePipeline pipeline = pipeline(scope);
                for (int i = 0; i < prompts.size(); i += batch) {
                    List<String> part = prompts.subList(i, Math.min(prompts.size(), i + batch));
                    TextToImagePipeline.Result r = pipeline.generate(part, manager);
                    if (r.latents() != r.images()) {
                        r.latents().close();   // the identity codec's latents: only the clipped images are kept
                    }
                    chunks.add(r.images());
                }
            }
            if (chunks.size() == 1) {
                return chunks.get(0);
            }
            NDArray all = NDArrays.concat(chunks);
            chunks.close();
            return all;
        }
    }

    private static List<Path> costComparison(NDManager manager, LatentDiffusionModel ldm, KlAutoencoderModel vae,
            TopicData data, LatentTopicConfig config, TopicRun topicRun, WordTokenizer tokenizer, LabelCaptions captions,
            double ldmSeconds,
            long seed, Map<String, Double> metrics, Phases phases) throws IOException {
        RunDirectory run = topicRun.directory();
        int channels = data.train().channels();
        UNetConfig pixelConfig = ldm.spec().unet().toBuilder().setImageChannels(channels).build();
        TextEncoderConfig textConfig = ldm.spec().text().encoder();
        LatentDiffusionNetwork pixel = new LatentDiffusionNetwork(new UNet(pixelConfig, SpatialTransformer.factory()),
                new TextEncoder(textConfig));
        Shape tokens = new Shape(1, tokenizer.length());
        pixel.initialize(manager, DataType.FLOAT32, new Shape(1, channels, 32, 32), new Shape(1), tokens, tokens);
        NoiseSchedule schedule = ldm.spec().schedule().toNoiseSchedule();
        long[] ls = vae.latentShape().getShape();
        double latentGflop = 2e-9 * ldm.diffusionNetwork().unet().macsPerExample();
        double pixelGflop = 2e-9 * pixel.unet().macsPerExample();
        // the codec's convolutions, counted analytically (Networks.convFeatureEncoder/Decoder)
        long h = ls[1];
        long w = ls[2];
        long c = vae.spec().channels();
        long zc = ls[0];
        double encoderGflop = 2e-9 * (16L * 4 * h * w * channels * c + 16L * h * w * c * 2 * c + h * w * 2 * c * 2 * zc);
        double decoderGflop = 2e-9 * (9L * h * w * zc * 2 * c + 9L * 4 * h * w * 2 * c * c + 9L * 16 * h * w * c * channels);
        double latentStep = benchStep(manager, ldm.spec().unet(), textConfig, new Shape(config.batch()).addAll(vae.latentShape()),
                schedule, config, tokenizer, captions);
        double pixelStep = benchStep(manager, pixelConfig, textConfig, new Shape(config.batch(), channels, 32, 32),
                schedule, config, tokenizer, captions);
        metrics.put("latent_step_seconds", latentStep);
        metrics.put("pixel_step_seconds", pixelStep);
        phases.mark("cost table: " + config.benchSteps() + " timed training steps of each model");
        // pixel training for the latent model's training time at the measured step times (not the
        // latent run's wall clock, which a shared machine's load or a resumed run would distort)
        double budget = config.ldmSteps() * latentStep;
        metrics.put("equal_time_budget_seconds", budget);
        long pixelSteps = Math.max(1, Math.round(budget / pixelStep));
        ObjectiveStep step = diffusionStep(pixel, config.withSteps(pixelSteps));
        BatchSource source = new CaptionedBatches(data.train().subset(0, Math.min(config.latentImages(),
                data.train().size())).batches(config.batch(), seed + 2, true, RANGE), captions::caption,
                tokenizer, seed + 3);
        FitResult fit = topicRun.fit("pixel", step, source, manager, pixelSteps, seed,
                run.root().resolve("metrics_pixel.csv"), List.of());
        metrics.put("pixel_train_seconds", fit.elapsedNanos() / 1e9);
        metrics.put("pixel_train_steps", (double) pixelSteps);
        phases.mark("pixel diffusion: training " + pixelSteps + " steps (the latent model's training time)");
        PixelModel pixelModel = new PixelModel(DataSpec.image(channels, 32, 32, RANGE), pixel, tokenizer, captions, schedule,
                config.guidanceScale(), config.samplerSteps(), config.pixelSampleBatch());
        List<Path> files = new ArrayList<>();
        double latentSample;
        double pixelSample;
        int n = Math.min(config.pixelSampleBatch(), config.fidSamples());
        try (Ema.Swap swap = step.ema().swapIn(); NDManager scope = manager.newSubManager()) {
            List<String> prompts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                prompts.add(captions.prompt(i % captions.classes()));
            }
            long t0 = System.nanoTime();
            pixelModel.pipeline(scope).generate(prompts, scope);
            pixelSample = (System.nanoTime() - t0) / 1e9 / n;
            t0 = System.nanoTime();
            ldm.sample(scope, prompts, SampleOptions.defaults());
            latentSample = (System.nanoTime() - t0) / 1e9 / n;
            metrics.put("latent_sample_seconds_per_image", latentSample);
            metrics.put("pixel_sample_seconds_per_image", pixelSample);
            phases.mark("sampling time of " + n + " images, each model");
            List<String> gridPrompts = new ArrayList<>();
            for (String p : captions.prompts()) {
                for (int j = 0; j < config.samplesPerPrompt(); j++) {
                    gridPrompts.add(p);
                }
            }
            Path file = run.image("pixel_prompts.png");
            ImageGrid.writePng(pixelModel.images(gridPrompts, scope), RANGE,
                    config.samplesPerPrompt(), 2, file);
            files.add(file);
            SampleQuality.Result q = SampleQuality.fid(pixelModel, SampleOptions.defaults(), data, config.fidSamples(),
                    seed, scope);
            metrics.put("fid_pixel", q.fid());
            phases.mark("pixel diffusion: prompt grid, FID (" + config.fidSamples() + " samples)");
        }
        String table = String.format(Locale.ROOT, "Both U-Nets have the same configuration (%s) with the spatial "
                + "transformers and the text encoder; one runs on %s latents, the other on %d×32×32 pixels. FLOPs are "
                + "counted analytically (2 × multiply-accumulates of convolutions, linear layers and attention "
                + "products; training ≈ 3× a forward pass); times are measured on this machine, batch %d, median of %d "
                + "steps; sampling is DDIM %d steps with guidance w = %.1f (two branches in one batch), per image in a "
                + "batch of %d, decoder included for the latent model. The pixel model is trained for the latent "
                + "model's training time at the measured step times (%d steps × %.3f s = %.0f s; the latent run's own "
                + "wall clock was %.0f s; the autoencoder's %.0f s are paid once and not counted).%n%n"
                + "| | pixel space | latent space | ratio |%n|---|---|---|---|%n"
                + "| U-Net forward, GFLOP per image | %.3f | %.3f | %.1f× |%n"
                + "| codec, GFLOP per image | — | encoder %.4f, decoder %.4f | |%n"
                + "| training step, s (batch %d) | %.3f | %.3f | %.1f× |%n"
                + "| sampling, s per image | %.3f | %.3f | %.1f× |%n"
                + "| training steps in %.0f s | %d | %d | |%n"
                + "| FID (in-project CNN features, %d samples) | %.2f | %.2f | |%n",
                ldm.spec().unet(), vae.latentShape(), channels, config.batch(), config.benchSteps(),
                config.samplerSteps(), config.guidanceScale(), n, config.ldmSteps(), latentStep, budget, ldmSeconds,
                metrics.get("vae_train_seconds"),
                pixelGflop, latentGflop, pixelGflop / latentGflop, encoderGflop, decoderGflop, config.batch(), pixelStep,
                latentStep, pixelStep / latentStep, pixelSample, latentSample, pixelSample / latentSample, budget,
                pixelSteps, config.ldmSteps(), config.fidSamples(), metrics.get("fid_pixel"), metrics.get("fid_latent"));
        metrics.put("pixel_gflop", pixelGflop);
        metrics.put("latent_gflop", latentGflop);
        run.appendReport("Pixel vs latent", table);
        run.appendImage("pixel-space model, same prompts, w = " + config.guidanceScale(), files.get(0));
        return files;
    }

    /**
     * Trains the in-project CLIP on the training images and captions, then scores generated images
     * against their prompts and against shuffled (always wrong) prompts, with real test images as the
     * reference.
     */
    private static void clipScore(NDManager manager, LatentDiffusionModel ldm, TopicData data, LatentTopicConfig config,
            TopicRun topicRun, WordTokenizer tokenizer, LabelCaptions captions, long seed, Map<String, Double> metrics) throws IOException {
        RunDirectory run = topicRun.directory();
        int channels = data.train().channels();
        try (NDManager model = manager.newSubManager()) {
            LatentDiffusionPreset.Clip clipPreset = config.preset().clip();
            ContrastiveImageText clip = clipPreset.create(channels, tokenizer);
            Shape tokens = new Shape(1, tokenizer.length());
            clip.initialize(model, DataType.FLOAT32, new Shape(1, channels, 32, 32), tokens, tokens);
            // Adam at the preset's constant rate, no clip
            ObjectiveStep step = clipPreset.training().step(clip.objective()).optName("clip").build();
            BatchSource source = new CaptionedBatches(data.train().batches(clipPreset.training().batchSize(), seed + 5,
                    true, RANGE),
                    captions::caption, tokenizer, seed + 6);
            FitResult fit = topicRun.fit("clip", step, source, model, config.clipSteps(), seed,
                    run.root().resolve("metrics_clip.csv"), List.of());
            int n = config.clipSamples();
            int k = captions.classes();
            java.util.Random random = new java.util.Random(seed + 7);
            List<String> prompts = new ArrayList<>();
            List<String> wrong = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int label = i % k;
                prompts.add(captions.prompt(label));
                wrong.add(captions.prompt((label + 1 + random.nextInt(k - 1)) % k));
            }
            int realN = Math.min(n, data.test().size());
            List<String> realPrompts = new ArrayList<>();
            List<String> realWrong = new ArrayList<>();
            for (int i = 0; i < realN; i++) {
                int label = data.test().label(i);
                realPrompts.add(captions.prompt(label));
                realWrong.add(captions.prompt((label + 1 + random.nextInt(k - 1)) % k));
            }
            try (NDManager scope = model.newSubManager()) {
                ParameterStore ps = new ParameterStore(scope, false);
                NDList chunks = new NDList();
                for (int i = 0; i < n; i += 64) {
                    chunks.add(ldm.sample(scope, prompts.subList(i, Math.min(n, i + 64)), SampleOptions.defaults()));
                }
                NDArray generated = NDArrays.concat(chunks);
                NDArray real = data.test().subset(0, realN).toNDArray(scope, RANGE);
                double gen = clip(clip, ps, generated, prompts, tokenizer, scope);
                double genWrong = clip(clip, ps, generated, wrong, tokenizer, scope);
                double realRight = clip(clip, ps, real, realPrompts, tokenizer, scope);
                double realShuffled = clip(clip, ps, real, realWrong, tokenizer, scope);
                metrics.put("clip_score_generated", gen);
                metrics.put("clip_score_generated_shuffled", genWrong);
                metrics.put("clip_score_real", realRight);
                metrics.put("clip_score_real_shuffled", realShuffled);
                run.appendReport("CLIP score", String.format(Locale.ROOT, "An in-project CLIP (a two-convolution image "
                        + "tower and a one-layer text tower, 64-d shared space, symmetric InfoNCE) trained for %d steps "
                        + "(%.0f s, final loss %.3f) on the training images and their captions; convention: mean of "
                        + "100·cos, clamped at 0. **These values are not comparable with OpenAI-CLIP scores** (another, "
                        + "tiny model trained on ten classes of 32×32 images).%n%n"
                        + "| images | their prompts | shuffled prompts (always another class) |%n|---|---|---|%n"
                        + "| %d generated (w = %.1f, DDIM %d steps) | %.2f | %.2f |%n"
                        + "| %d real test images | %.2f | %.2f |%n", config.clipSteps(), fit.elapsedNanos() / 1e9,
                        fit.lastMetrics().getOrDefault("loss", Double.NaN), n, config.guidanceScale(),
                        config.samplerSteps(), gen, genWrong, realN, realRight, realShuffled));
            }
        }
    }

    private static double clip(ContrastiveImageText clip, ParameterStore ps, NDArray images, List<String> prompts,
            WordTokenizer tokenizer, NDManager scope) {
        NDList t = tokenizer.encode(prompts, scope);
        Features u = Features.fromNDArray(clip.imageEmbedding(ps, images, false));
        Features v = Features.fromNDArray(clip.textEmbedding(ps, t.get(0), t.get(1), false));
        return ClipScore.compute(u, v, ClipScoreConvention.SCALED_100);
    }

    /**
     * Wall and process CPU time per phase of a run; the CPU time over the number of cores is what the
     * run would take on an idle machine of that many cores, whatever else shared it. On Linux also the
     * peak resident set of each phase: VmHWM of /proc/self/status, reset at the start of every phase
     * by writing 5 to /proc/self/clear_refs (where that is refused, the peak since the process start).
     * Every phase is appended to a CSV file as it closes, so a stopped run keeps its figures.
     */
    static final class Phases {
        private final List<String> names = new ArrayList<>();
        private final List<double[]> times = new ArrayList<>();
        private final Path log;
        private long wall = System.nanoTime();
        private long cpu = cpuNanos();

        /** @param log the CSV file the phases are appended to as they close */
        Phases(Path log) {
            this.log = log;
            resetPeakRss();
        }

        /** Closes the current phase under this name. */
        void mark(String name) {
            long w = System.nanoTime();
            long c = cpuNanos();
            double peak = peakRssGb();
            resetPeakRss();
            names.add(name);
            double[] v = {(w - wall) / 1e9, (c - cpu) / 1e9, peak};
            times.add(v);
            try {
                if (!Files.exists(log)) {
                    Files.writeString(log, "phase,wall_s,cpu_s,peak_rss_gb\n");
                }
                Files.writeString(log, String.format(Locale.ROOT, "\"%s\",%.1f,%.1f,%.2f%n", name, v[0], v[1], v[2]),
                        java.nio.file.StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot append to " + log, e);
            }
            wall = w;
            cpu = c;
        }

        /** @return VmHWM in GB (10⁹ bytes), NaN where /proc is absent */
        static double peakRssGb() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("VmHWM:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024 / 1e9;
                    }
                }
            } catch (IOException | RuntimeException e) {
                return Double.NaN;
            }
            return Double.NaN;
        }

        private static void resetPeakRss() {
            try {
                Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            } catch (IOException | RuntimeException e) {
                // no reset: the column is then the peak since the process start
            }
        }

        String table(Map<String, Double> metrics) {
            int cores = Runtime.getRuntime().availableProcessors();
            StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "Wall time and process CPU time (user + "
                    + "system) per phase; CPU / %d is the estimate for an idle machine of %d cores; peak RSS: the "
                    + "process's peak resident set during the phase (VmHWM, reset at each phase's start).%n%n"
                    + "| phase | wall, s | CPU, s | CPU / %d, s | peak RSS, GB |%n|---|---|---|---|---|%n", cores, cores,
                    cores));
            double wallSum = 0;
            double cpuSum = 0;
            for (int i = 0; i < names.size(); i++) {
                double[] v = times.get(i);
                wallSum += v[0];
                cpuSum += v[1];
                t.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.2f |%n", names.get(i), v[0], v[1],
                        v[1] / cores, v[2]));
            }
            t.append(String.format(Locale.ROOT, "| total (after loading the data) | %.0f | %.0f | %.0f | %.2f |%n",
                    wallSum, cpuSum, cpuSum / cores, times.stream().mapToDouble(v -> v[2]).max().orElse(Double.NaN)));
            metrics.put("phases_wall_seconds", wallSum);
            metrics.put("phases_cpu_seconds", cpuSum);
            return t.toString();
        }

        private static long cpuNanos() {
            return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
        }
    }

    /**
     * The captions of the data: CIFAR-10's or FashionMNIST's caption sets, or those of an image
     * folder's class names.
     */
    static LabelCaptions captionsOf(TopicData data) {
        LabelCaptions captions;
        if (data.id() == DatasetId.CIFAR10) {
            captions = LabelCaptions.CIFAR10;
        } else if (data.id() == DatasetId.FASHION_MNIST) {
            captions = LabelCaptions.FASHION_MNIST;
        } else {
            captions = LabelCaptions.ofClassNames(data.train().classNames());
        }
        if (captions.classes() < 2) {
            throw new IllegalArgumentException("topic 11-06 captions images by their class and compares captions "
                    + "with shuffled ones: it needs labelled images of at least 2 classes (an image folder with one "
                    + "sub-folder per class), got " + captions.classes() + " class(es) in " + data.datasetName());
        }
        return captions;
    }

    /** Median wall time of a training step of a fresh network at this batch shape. */
    private static double benchStep(NDManager manager, UNetConfig unet, TextEncoderConfig text, Shape batch,
            NoiseSchedule schedule, LatentTopicConfig config, WordTokenizer tokenizer, LabelCaptions labels) {
        try (NDManager model = manager.newSubManager()) {
            LatentDiffusionNetwork net = new LatentDiffusionNetwork(new UNet(unet, SpatialTransformer.factory()),
                    new TextEncoder(text));
            Shape tokens = new Shape(1, tokenizer.length());
            net.initialize(model, DataType.FLOAT32, new Shape(1).addAll(batch.slice(1)), new Shape(1), tokens, tokens);
            ObjectiveStep step = diffusionStep(net, config);
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < batch.get(0); i++) {
                texts.add(labels.prompt(i % labels.classes()));
            }
            double[] times = new double[config.benchSteps()];
            for (int s = -1; s < config.benchSteps(); s++) {
                try (NDManager scope = model.newSubManager()) {
                    NDList t = tokenizer.encode(texts, scope);
                    NDList b = new NDList(scope.randomNormal(batch), t.get(0), t.get(1));
                    long t0 = System.nanoTime();
                    step.step(b, Math.max(0, s));
                    if (s >= 0) {
                        times[s] = (System.nanoTime() - t0) / 1e9;
                    }
                }
            }
            Arrays.sort(times);
            return times[times.length / 2];
        }
    }
}
