package io.gen4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.runtime.Seeds;
import io.gen4j.eval.Features;
import io.gen4j.eval.Fid;
import io.gen4j.eval.Kid;
import io.gen4j.eval.KidConfig;
import io.gen4j.spark.DistributedSampling.SamplingJob;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistributedEvaluationTest {

    @TempDir
    static Path tmp;

    static List<String> model;
    static List<String> other;

    @BeforeAll
    static void sample() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seedEngine(1);
            ModelStore.save(GaussianFamily.create(6, m), a);
            ModelStore.save(GaussianFamily.create(6, m), b);
        }
        model = DistributedSampling.run(LocalSpark.context(),
                SamplingJob.of(a, 3000, tmp.resolve("sa")).withShardSize(400)).files();
        other = DistributedSampling.run(LocalSpark.context(),
                SamplingJob.of(b, 2000, tmp.resolve("sb")).withShardSize(400).withSeed(2)).files();
    }

    @Test
    void sparkFidEqualsTheOneJvmFidOfTheSameFeatures() throws Exception {
        Features fa;
        Features fb;
        try (NDManager m = NDManager.newBaseManager(); ShardFeatures.Featurizer f = ShardFeatures.identity().open(m)) {
            fa = oneJvm(model, f, m);
            fb = oneJvm(other, f, m);
            double single = Fid.compute(fa, fb, m);
            for (int partitions : new int[] {2, 3}) {
                FeatureMoments ma = DistributedEvaluation.moments(LocalSpark.context(), model, partitions,
                        ShardFeatures.identity(), new double[6], 256, 1);
                FeatureMoments mb = DistributedEvaluation.moments(LocalSpark.context(), other, partitions,
                        ShardFeatures.identity(), new double[6], 256, 1);
                assertEquals(3000, ma.count());
                assertEquals(2000, mb.count());
                assertEquals(single, DistributedEvaluation.fid(ma, mb), 1e-9, partitions + " partitions");
            }
            assertTrue(single > 0.1, "two different Gaussians: FID " + single);
        }
    }

    @Test
    void gatheredFeaturesAreTheOneJvmFeaturesInFileOrder() throws Exception {
        Features gathered = DistributedEvaluation.gather(LocalSpark.context(), model, 3, ShardFeatures.identity(), 100, 1);
        try (NDManager m = NDManager.newBaseManager(); ShardFeatures.Featurizer f = ShardFeatures.identity().open(m)) {
            Features single = oneJvm(model, f, m);
            assertEquals(single, gathered);
            // KID and friends run on the driver over the gathered rows.
            Features ref = oneJvm(other, f, m);
            double kid = Kid.compute(ref, gathered, KidConfig.defaults(), m).mean();
            assertEquals(Kid.compute(ref, single, KidConfig.defaults(), m).mean(), kid, 0.0);
        }
    }

    private static Features oneJvm(List<String> files, ShardFeatures.Featurizer f, NDManager m) throws Exception {
        List<Features> parts = new ArrayList<>();
        for (String file : files) {
            parts.add(DistributedEvaluation.featuresOf(file, f, 1000, m));
        }
        return Features.concat(parts);
    }
}
