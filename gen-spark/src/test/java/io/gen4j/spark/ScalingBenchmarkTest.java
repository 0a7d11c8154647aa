package io.gen4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.runtime.Seeds;
import io.gen4j.eval.Features;
import io.gen4j.eval.Fid;
import io.gen4j.spark.DistributedSampling.SamplingJob;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The figures of docs/scaling.md: a 50,000-sample FID through Spark local[2] against one JVM, and a
 * 6-point sweep. Run with {@code mvn -pl gen-spark -am verify -Pslow -Dtest='ScalingBenchmarkTest'
 * -Dsurefire.failIfNoSpecifiedTests=false}; the figures go to the log and to
 * {@code gen-spark/target/scaling-benchmark.txt}.
 */
@Tag("slow")
class ScalingBenchmarkTest {

    private static final Logger LOG = LoggerFactory.getLogger(ScalingBenchmarkTest.class);
    private static final int N = 50_000;
    private static final int D = 64;
    private static final int SHARD = 5000;

    @TempDir
    Path tmp;

    private final StringBuilder report = new StringBuilder();

    @Test
    void fidOf50kSamplesAndASixPointSweep() throws Exception {
        Path a = tmp.resolve("model-a");
        Path b = tmp.resolve("model-b");
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seedEngine(21);
            ModelStore.save(GaussianFamily.create(D, m), a);
            ModelStore.save(GaussianFamily.create(D, m), b);
        }
        var sc = LocalSpark.context();
        ExecutorRuntime.start(1);
        // Spark local[2]: sampling (4 partitions) and FID from merged moments (2 partitions).
        long t0 = System.nanoTime();
        SamplingReport sa = DistributedSampling.run(sc, SamplingJob.of(a, N, tmp.resolve("sa")).withShardSize(SHARD)
                .withPartitions(4));
        SamplingReport sb = DistributedSampling.run(sc, SamplingJob.of(b, N, tmp.resolve("sb")).withShardSize(SHARD)
                .withPartitions(4).withSeed(2));
        long t1 = System.nanoTime();
        FeatureMoments ma = DistributedEvaluation.moments(sc, sa.files(), 2, ShardFeatures.identity(), new double[D], 1000, 1);
        FeatureMoments mb = DistributedEvaluation.moments(sc, sb.files(), 2, ShardFeatures.identity(), new double[D], 1000, 1);
        double sparkFid = DistributedEvaluation.fid(ma, mb);
        long t2 = System.nanoTime();

        // One JVM: the same shards drawn in a loop, then gen-eval's FID on all features in memory.
        Path oa = Files.createDirectories(tmp.resolve("oa"));
        Path ob = Files.createDirectories(tmp.resolve("ob"));
        long t3 = System.nanoTime();
        double singleFid;
        try (NDManager m = NDManager.newBaseManager()) {
            GenerativeModel ga = ModelStore.load(a, m, GenerativeModel.class);
            GenerativeModel gb = ModelStore.load(b, m, GenerativeModel.class);
            for (Shard s : Shard.plan(N, SHARD, 1)) {
                DistributedSampling.sampleShard(ga, s, SampleSettings.defaults(), 250, oa, m);
            }
            for (Shard s : Shard.plan(N, SHARD, 2)) {
                DistributedSampling.sampleShard(gb, s, SampleSettings.defaults(), 250, ob, m);
            }
            long t4 = System.nanoTime();
            try (ShardFeatures.Featurizer f = ShardFeatures.identity().open(m)) {
                singleFid = Fid.compute(features(oa, f, m), features(ob, f, m), m);
            }
            long t5 = System.nanoTime();
            line("50k-sample FID, synthetic Gaussian model (d = %d, x = W z + b), identity features", D);
            line("  Spark local[2]: FID %.12f; sampling 2 x 50k %.2f s, features + moments + FID %.2f s, total %.2f s",
                    sparkFid, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t2 - t0) / 1e9);
            line("  one JVM:        FID %.12f; sampling 2 x 50k %.2f s, features + FID (gen-eval) %.2f s, total %.2f s",
                    singleFid, (t4 - t3) / 1e9, (t5 - t4) / 1e9, (t5 - t3) / 1e9);
            line("  |difference| = %.3e", Math.abs(sparkFid - singleFid));
        }
        assertEquals(singleFid, sparkFid, 1e-9);
        for (String file : sa.files()) {
            assertEquals(-1L, Files.mismatch(Path.of(file), oa.resolve(Path.of(file).getFileName())), file);
        }

        // A 6-point sweep of the test VAE (beta x learning rate), 400 steps each, checkpoints every 100.
        LinkedHashMap<String, List<Double>> grid = new LinkedHashMap<>();
        grid.put("beta", List.of(0.5, 1.0, 2.0));
        grid.put("lr", List.of(1e-3, 3e-3));
        long t6 = System.nanoTime();
        Sweep.Table table = Sweep.run(sc, SweepSpace.grid(grid), new VaeSweepTrainer(400, 100, 0), tmp.resolve("sweep"), 1);
        long t7 = System.nanoTime();
        line("6-point sweep (VAE beta x lr, 400 steps each) on Spark local[2]: %.2f s", (t7 - t6) / 1e9);
        for (Sweep.Row r : table.rows()) {
            line("  %s elbo %.4f loss %.4f (%.2f s)", r.parameters(), r.metrics().get("elbo"), r.metrics().get("loss"),
                    r.seconds());
        }
        long t8 = System.nanoTime();
        int i = 0;
        for (Map<String, Double> p : SweepSpace.grid(grid)) {
            new VaeSweepTrainer(400, 100, 0).train(p, Files.createDirectories(tmp.resolve("seq-" + i++)));
        }
        line("the same 6 points one after another in this JVM: %.2f s", (System.nanoTime() - t8) / 1e9);
        Files.writeString(Path.of("target", "scaling-benchmark.txt"), report, StandardCharsets.UTF_8);
    }

    private void line(String format, Object... args) {
        String s = String.format(Locale.ROOT, format, args);
        LOG.info(s);
        report.append(s).append('\n');
    }

    private static Features features(Path dir, ShardFeatures.Featurizer f, NDManager m) throws Exception {
        List<Features> parts = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                parts.add(DistributedEvaluation.featuresOf(p.toString(), f, 1000, m));
            }
        }
        return Features.concat(parts);
    }
}
