package io.gen4j.examples.topics;

import ai.djl.ndarray.NDManager;
import ai.djl.util.Pair;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.io.RunDirectory;
import io.gen4j.core.model.GenerativeModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The closing comparison of topic 11-10 ({@code gen4j compare}): every registered {@link
 * ComparisonEntry} (VAE, RealNVP, DDPM, flow matching, MADE, PixelCNN, DCGAN) trained on binarised
 * FashionMNIST with its own budget and measured the same way by {@link Comparison}. It is a run of
 * its own, apart from {@code topic 11-10} (the three autoregressive models), because it trains seven
 * models: its cpu profile takes longer than the topic's 20 minutes.
 */
public final class ComparisonTopic implements Topic {

    /** The name of its run directories and of the {@code topic} field of their config.json. */
    public static final String RUN_NAME = "comparison";

    /**
     * The configuration of a run, written to config.json.
     *
     * @param profile the profile
     * @param seed the seed
     * @param trainImages training images (0 = all)
     * @param testImages test images (0 = all)
     * @param nllImages test images in every NLL
     * @param samples samples per model for FID / precision / recall
     */
    record Settings(Profile profile, long seed, int trainImages, int testImages, int nllImages, int samples) {}

    @Override
    public String id() {
        return "compare";
    }

    @Override
    public String title() {
        return "Every family on the same binarised images (the closing comparison of 11-10)";
    }

    static Settings settings(Profile profile, long seed) {
        return switch (profile) {
            case SMOKE -> new Settings(profile, seed, 256, 64, 16, 16);
            case CPU -> new Settings(profile, seed, 0, 0, 500, 300);
            case GPU -> new Settings(profile, seed, 0, 0, 10_000, 10_000);
        };
    }

    @Override
    public TopicResult run(TopicOptions options) throws Exception {
        Settings s = settings(options.profile(), options.seed());
        TopicRun topicRun = TopicRun.open(options, RUN_NAME, s);
        RunDirectory run = topicRun.directory();
        Map<String, Double> metrics = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        files.add(run.configFile());
        long start = System.nanoTime();
        Comparison.BinarisedData binarised = Comparison.BinarisedData.load(options.dataPath(), s.trainImages(),
                s.testImages());
        TopicData data = binarised.data();
        ImageDataset train = binarised.train();
        ImageDataset test = binarised.test();
        StringBuilder report = new StringBuilder(binarised.reportHeader("Every family on the same data", s.profile(), s.seed()));
        try (NDManager manager = NDManager.newBaseManager()) {
            ComparisonContext context = new ComparisonContext(train, s.profile(), topicRun, s.seed(), manager);
            Map<String, Pair<GenerativeModel, Double>> none = Map.of();
            Comparison.Outcome cmp = Comparison.run(context, test, Comparison.entries(), none,
                    new Comparison.Settings(s.nllImages(), s.samples()));
            files.add(cmp.figure());
            for (Comparison.Row r : cmp.rows()) {
                if (!Double.isNaN(r.nllNats())) { // a model without a likelihood (a GAN) has no NLL
                    metrics.put(r.name() + ".nll", r.nllNats());
                }
                metrics.put(r.name() + ".fid", r.fid());
                metrics.put(r.name() + ".trainSeconds", r.trainSeconds());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            metrics.put("compareSeconds", seconds);
            report.append(String.format(Locale.ROOT, "Binarised %s, 28×28; NLL on the first %d test images; FID and "
                            + "precision/recall (k = 3) of %d samples against %d test images in the features of the "
                            + "in-project CNN classifier trained on the binarised training set.%n%n",
                            data.id(), Math.min(s.nllImages(), test.size()), Math.min(s.samples(), train.size()),
                            Math.min(1000, test.size())))
                    .append(cmp.table()).append("\n![samples, one row per model in table order](images/")
                    .append("comparison-samples.png)\n\n")
                    .append("Reading the table: the likelihood column is what each model's `LikelihoodModel.isExact()` says. ")
                    .append("MADE and PixelCNN give log P of the binary image itself. The VAE (IWAE, K = 64) and DDPM ")
                    .append("(variational bound of its discretised decoder) give lower bounds, so their NLL is an upper ")
                    .append("bound on their true NLL. RealNVP's density of the dequantised image is exact, and with the ")
                    .append("bins of width 1/256 included it is a lower bound on log P of the 8-bit image (Theis et al. ")
                    .append("2016). All are nats per image of the same discrete objects; RealNVP and DDPM ")
                    .append("spread mass over 256 grey levels the binary data never use, which the table charges them. ")
                    .append("A model without a likelihood (a GAN) shows `none`. Training budgets differ per ")
                    .append("family (a few CPU minutes each) and none was tuned.\n\n")
                    .append(String.format(Locale.ROOT, "Wall time of the comparison: %.0f s.%n", seconds));
        }
        run.writeReport(report.toString());
        files.add(run.reportFile());
        return new TopicResult(run.root(), metrics, files);
    }
}
