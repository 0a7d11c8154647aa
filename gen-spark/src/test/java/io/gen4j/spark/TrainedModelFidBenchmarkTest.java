package io.gen4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.autoencoders.NetworkSpec;
import io.gen4j.autoencoders.VaeConfig;
import io.gen4j.autoencoders.VaeModel;
import io.gen4j.autoencoders.VaeSpec;
import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.DatasetResolver;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.data.Split;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.io.NpyWriter;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.runtime.Seeds;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.FitResult;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.TrainingRecipe;
import io.gen4j.eval.CnnClassifierConfig;
import io.gen4j.eval.CnnClassifierTraining;
import io.gen4j.eval.CnnFeatureExtractor;
import io.gen4j.eval.Features;
import io.gen4j.eval.Fid;
import io.gen4j.eval.ImageSets;
import io.gen4j.spark.DistributedSampling.SamplingJob;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The 50,000-sample FID of a trained and saved model, through Spark local[2] and in one JVM (the
 * figures of docs/results.md and docs/scaling.md): a VAE trained on FashionMNIST, saved with {@link
 * ModelStore} (the format {@code gen4j sample --model} reads), 50,000 samples drawn from the saved
 * files, FID against the 10,000 test images in the features of the in-project FashionMNIST
 * classifier (gen-eval's {@code CnnClassifierTraining}, one epoch, seed 0: the settings of the CLI's
 * report FID). Needs FashionMNIST on the machine (the Debian package {@code dataset-fashion-mnist},
 * {@code GEN4J_FASHION_MNIST} or {@code ~/.gen4j/datasets}). Run with {@code mvn -o -pl gen-spark -am
 * test -Pslow -Dtest='TrainedModelFidBenchmarkTest' -Dsurefire.failIfNoSpecifiedTests=false}; the
 * figures go to the log and to {@code gen-spark/target/trained-fid-benchmark.txt}. Wall and CPU
 * times (user + sys of the whole process, Spark's threads included) are measured per path.
 */
@Tag("slow")
class TrainedModelFidBenchmarkTest {

    private static final Logger LOG = LoggerFactory.getLogger(TrainedModelFidBenchmarkTest.class);
    private static final int N = 50_000;
    private static final int SHARD = 5000;
    private static final int TRAIN_STEPS = 600;
    private static final int BATCH = 128;
    private static final long SEED = 3;

    @TempDir
    Path tmp;

    private final StringBuilder report = new StringBuilder();

    @Test
    void fidOf50kSamplesOfATrainedVaeIsTheSameThroughSparkAndInOneJvm() throws Exception {
        ImageDataset train = DatasetResolver.defaults().load(DatasetId.FASHION_MNIST, Split.TRAIN);
        ImageDataset test = DatasetResolver.defaults().load(DatasetId.FASHION_MNIST, Split.TEST);
        Path modelDir = tmp.resolve("vae-model");
        Path classifier = tmp.resolve("fashion-mnist-cnn.bin");
        Path reference = Files.createDirectories(tmp.resolve("reference"));
        ExecutorRuntime.start(1);
        try (NDManager m = NDManager.newBaseManager()) {
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            Seeds.seedEngine(SEED);
            VaeSpec spec = new VaeSpec(NetworkSpec.mlp(400), NetworkSpec.mlp(400), VaeConfig.defaults(16),
                    DataSpec.image(1, 28, 28, PixelRange.ZERO_ONE));
            VaeModel vae = VaeModel.create(spec, m);
            ObjectiveStep step = TrainingRecipe.of(TRAIN_STEPS, BATCH, 1e-3, 1e-4, 0, 0).step(vae.network().objective())
                    .optName("vae").build();
            FitResult fit = Fit.builder().setStep(step).setSource(train.batches(BATCH, SEED, true, PixelRange.ZERO_ONE))
                    .setManager(m).optTotalSteps(TRAIN_STEPS).optSeed(SEED).build().run();
            ModelStore.save(vae, modelDir);
            line("VAE (MLP 400, latent 16, Bernoulli decoder) on FashionMNIST: %d steps of %d, final loss %.2f nats; "
                    + "%.1f s wall, %.1f s CPU", TRAIN_STEPS, BATCH, fit.lastMetrics().get("loss"),
                    (System.nanoTime() - t0) / 1e9, (cpuNanos() - c0) / 1e9);
            long c1 = cpuNanos();
            long t1 = System.nanoTime();
            CnnClassifierConfig base = CnnClassifierConfig.fashionMnist();
            CnnClassifierConfig config = new CnnClassifierConfig("fashion-mnist-cnn", 1, 28, 28, 10, base.conv1(),
                    base.conv2(), base.featureDim());
            try (CnnFeatureExtractor cnn = new CnnClassifierTraining(1, 128, 1e-3, 0L).train(config,
                    ImageSets.fromDataset(train).images(), train.labels(), m)) {
                cnn.save(classifier);
            }
            line("reference classifier (1 epoch, seed 0): %.1f s wall, %.1f s CPU", (System.nanoTime() - t1) / 1e9,
                    (cpuNanos() - c1) / 1e9);
            for (int from = 0, k = 0; from < test.size(); from += SHARD, k++) {
                try (NDManager scope = m.newSubManager();
                        NpyWriter w = NpyWriter.images(reference.resolve(String.format("shard-%06d.npy", k)),
                                new Shape(1, 28, 28), PixelRange.ZERO_ONE)) {
                    ImageDataset part = test.subset(from, Math.min(test.size(), from + SHARD));
                    w.append(part.toNDArray(scope, PixelRange.ZERO_ONE));
                }
            }
        }
        String classifierFile = classifier.toString();
        ShardFeatures features = ShardFeatures.images(mm -> CnnFeatureExtractor.load(Path.of(classifierFile), mm));
        List<String> referenceFiles = files(reference);
        // the shift c of the float64 sums: the mean feature of the first reference shard (docs/scaling.md)
        double[] shift;
        try (NDManager m = NDManager.newBaseManager(); ShardFeatures.Featurizer f = features.open(m)) {
            Features first = DistributedEvaluation.featuresOf(referenceFiles.get(0), f, 500, m);
            shift = new double[first.dim()];
            for (int i = 0; i < first.count(); i++) {
                for (int j = 0; j < first.dim(); j++) {
                    shift[j] += first.get(i, j) / first.count();
                }
            }
        }

        // Spark local[2]: 50k samples of the saved model (4 partitions), then the FID from merged moments.
        var sc = LocalSpark.context();
        long c2 = cpuNanos();
        long t2 = System.nanoTime();
        SamplingReport sampled = DistributedSampling.run(sc, SamplingJob.of(modelDir, N, tmp.resolve("spark"))
                .withShardSize(SHARD).withSeed(SEED).withPartitions(4));
        long t3 = System.nanoTime();
        FeatureMoments fake = DistributedEvaluation.moments(sc, sampled.files(), 2, features, shift, 500, 1);
        FeatureMoments real = DistributedEvaluation.moments(sc, referenceFiles, 2, features, shift, 500, 1);
        double sparkFid = DistributedEvaluation.fid(fake, real);
        long t4 = System.nanoTime();
        long c4 = cpuNanos();

        // One JVM: the same shards drawn in a loop, gen-eval's FID on all features in memory.
        Path single = Files.createDirectories(tmp.resolve("single"));
        double singleFid;
        long t5 = System.nanoTime();
        long c5 = cpuNanos();
        long t6;
        try (NDManager m = NDManager.newBaseManager()) {
            GenerativeModel model = ModelStore.load(modelDir, m, GenerativeModel.class);
            for (Shard s : Shard.plan(N, SHARD, SEED)) {
                DistributedSampling.sampleShard(model, s, SampleSettings.defaults(), 250, single, m);
            }
            t6 = System.nanoTime();
            try (ShardFeatures.Featurizer f = features.open(m)) {
                singleFid = Fid.compute(features(files(single), f, m), features(referenceFiles, f, m), m);
            }
        }
        long t7 = System.nanoTime();
        long c7 = cpuNanos();

        line("50k-sample FID vs the 10k FashionMNIST test images, in-project classifier features (d = 128)");
        line("  Spark local[2]: FID %.12f; sampling 50k %.2f s, features + moments + FID %.2f s, total %.2f s wall, "
                + "%.2f s CPU", sparkFid, (t3 - t2) / 1e9, (t4 - t3) / 1e9, (t4 - t2) / 1e9, (c4 - c2) / 1e9);
        line("  one JVM:        FID %.12f; sampling 50k %.2f s, features + FID (gen-eval) %.2f s, total %.2f s wall, "
                + "%.2f s CPU", singleFid, (t6 - t5) / 1e9, (t7 - t6) / 1e9, (t7 - t5) / 1e9, (c7 - c5) / 1e9);
        line("  |difference| = %.3e", Math.abs(sparkFid - singleFid));
        Files.writeString(Path.of("target", "trained-fid-benchmark.txt"), report, StandardCharsets.UTF_8);

        assertEquals(N, sampled.count());
        assertEquals(singleFid, sparkFid, 1e-9);
        for (String file : sampled.files()) {
            assertEquals(-1L, Files.mismatch(Path.of(file), single.resolve(Path.of(file).getFileName())), file);
        }
        // a trained VAE is far from the data but not from another planet: FID in (0, 1000)
        assertTrue(sparkFid > 0 && sparkFid < 1000, "FID " + sparkFid);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private void line(String format, Object... args) {
        String s = String.format(Locale.ROOT, format, args);
        LOG.info(s);
        report.append(s).append('\n');
    }

    private static List<String> files(Path dir) throws Exception {
        try (var list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().endsWith(".npy")).sorted().map(Path::toString).toList();
        }
    }

    private static Features features(List<String> files, ShardFeatures.Featurizer f, NDManager m) throws Exception {
        List<Features> parts = new ArrayList<>();
        for (String file : files) {
            parts.add(DistributedEvaluation.featuresOf(file, f, 500, m));
        }
        return Features.concat(parts);
    }
}
