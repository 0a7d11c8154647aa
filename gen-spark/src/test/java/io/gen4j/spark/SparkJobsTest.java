package io.gen4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.runtime.Seeds;
import io.gen4j.eval.Features;
import io.gen4j.eval.Fid;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkJobsTest {

    @TempDir
    Path tmp;

    @Test
    void sampleThenFidFromTheCommandLine() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seedEngine(8);
            ModelStore.save(GaussianFamily.create(3, m), tmp.resolve("a"));
            ModelStore.save(GaussianFamily.create(3, m), tmp.resolve("b"));
        }
        assertEquals(0, run("sample", "--model", tmp.resolve("a").toString(), "--count", "700", "--out",
                tmp.resolve("sa").toString(), "--shard-size", "300", "--partitions", "2"));
        assertEquals(0, run("sample", "--model", tmp.resolve("b").toString(), "--count", "500", "--out",
                tmp.resolve("sb").toString(), "--shard-size", "300", "--seed", "5"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertEquals(0, SparkJobs.run(LocalSpark.context(), new String[] {"fid", "--samples", tmp.resolve("sa").toString(),
                "--reference", tmp.resolve("sb").toString(), "--features", "identity", "--partitions", "3"},
                new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        String line = bytes.toString(StandardCharsets.UTF_8);
        Matcher fid = Pattern.compile("FID (\\S+) \\(N = 700 vs 500, d = 3").matcher(line);
        assertTrue(fid.find(), line);
        try (NDManager m = NDManager.newBaseManager(); ShardFeatures.Featurizer f = ShardFeatures.identity().open(m)) {
            double single = Fid.compute(features(tmp.resolve("sa"), 3, f, m), features(tmp.resolve("sb"), 2, f, m), m);
            assertEquals(single, Double.parseDouble(fid.group(1)), 1e-9);
        }
        assertEquals(2, run("train"));
    }

    private static Features features(Path dir, int shards, ShardFeatures.Featurizer f, NDManager m) throws Exception {
        List<Features> parts = new ArrayList<>();
        for (int k = 0; k < shards; k++) {
            parts.add(DistributedEvaluation.featuresOf(dir.resolve(String.format("shard-%06d.npy", k)).toString(),
                    f, 100, m));
        }
        return Features.concat(parts);
    }

    private static int run(String... args) throws Exception {
        return SparkJobs.run(LocalSpark.context(), args, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
    }
}
