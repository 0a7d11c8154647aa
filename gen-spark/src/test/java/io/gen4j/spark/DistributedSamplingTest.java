package io.gen4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import io.gen4j.autoencoders.NetworkSpec;
import io.gen4j.autoencoders.VaeConfig;
import io.gen4j.autoencoders.VaeModel;
import io.gen4j.autoencoders.VaeSpec;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.io.Npy;
import io.gen4j.core.io.NumpyArray;
import io.gen4j.core.io.NumpyType;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.runtime.Seeds;
import io.gen4j.spark.DistributedSampling.SamplingJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistributedSamplingTest {

    @TempDir
    Path tmp;

    @Test
    void shardsCoverTheSamplesWithSeedsOfTheGlobalSeedAndTheIndexOnly() {
        List<Shard> shards = Shard.plan(1000, 128, 42);
        assertEquals(8, shards.size());
        assertEquals(7 * 128, shards.get(7).from());
        assertEquals(1000 - 7 * 128, shards.get(7).count());
        assertEquals(1000, shards.stream().mapToInt(Shard::count).sum());
        for (Shard s : shards) {
            assertEquals(Seeds.derive(42, s.index()), s.seed());
        }
        // A smaller N keeps the first shards: the samples of N = 300 are a prefix of those of N = 1000.
        assertEquals(List.of(shards.get(0), shards.get(1), new Shard(2, 256, 44, Seeds.derive(42, 2))),
                Shard.plan(300, 128, 42));
        assertThrows(IllegalArgumentException.class, () -> Shard.plan(0, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> Shard.plan(10, 0, 1));
    }

    @Test
    void twoAndThreePartitionsWriteTheSameSamplesAsOneJvm() throws Exception {
        Path model = tmp.resolve("gaussian");
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seedEngine(3);
            ModelStore.save(GaussianFamily.create(4, m), model);
        }
        SamplingJob job = SamplingJob.of(model, 1000, tmp.resolve("p2")).withShardSize(128).withSeed(9);
        SamplingReport two = DistributedSampling.run(LocalSpark.context(), job.withPartitions(2));
        SamplingReport three = DistributedSampling.run(LocalSpark.context(),
                job.withPartitions(3).withOut(tmp.resolve("p3")));

        assertEquals(1000, two.count());
        assertEquals(1000, three.count());
        assertEquals(8, two.shards().size());
        // One JVM in local mode: it started the engine once, whatever the number of tasks.
        assertEquals(1, two.countsPerJvm().size());
        for (ShardResult r : two.shards()) {
            assertEquals(1, r.engineStarts());
        }
        for (ShardResult r : three.shards()) {
            assertEquals(1, r.engineStarts());
        }

        Path one = Files.createDirectories(tmp.resolve("one-jvm"));
        try (NDManager m = NDManager.newBaseManager()) {
            GenerativeModel g = ModelStore.load(model, m, GenerativeModel.class);
            for (Shard s : Shard.plan(1000, 128, 9)) {
                DistributedSampling.sampleShard(g, s, SampleSettings.defaults(), job.chunk(), one, m);
            }
        }
        for (Shard s : Shard.plan(1000, 128, 9)) {
            byte[] a = Files.readAllBytes(tmp.resolve("p2").resolve(s.fileName()));
            assertArrayEquals(a, Files.readAllBytes(tmp.resolve("p3").resolve(s.fileName())), s.fileName());
            assertArrayEquals(a, Files.readAllBytes(one.resolve(s.fileName())), s.fileName());
            NumpyArray x = Npy.read(tmp.resolve("p2").resolve(s.fileName()));
            assertEquals(NumpyType.FLOAT32, x.type());
            assertEquals(s.count(), x.shape().get(0));
            assertEquals(4, x.shape().get(1));
        }
        // The shards are different draws, not copies of one seed.
        assertFalse(java.util.Arrays.equals(Npy.read(one.resolve("shard-000000.npy")).toFloatArray(),
                java.util.Arrays.copyOf(Npy.read(one.resolve("shard-000001.npy")).toFloatArray(), 128 * 4)));
        try (var files = Files.list(tmp.resolve("p3"))) {
            assertEquals(8, files.count(), "no partial files are left behind");
        }
    }

    @Test
    void imagesOfAFamilyModelAreWrittenAsPixelsIndependentlyOfThePartitions() throws Exception {
        Path model = tmp.resolve("vae");
        try (NDManager m = NDManager.newBaseManager()) {
            Seeds.seedEngine(4);
            VaeSpec spec = new VaeSpec(NetworkSpec.mlp(16), NetworkSpec.mlp(16), VaeConfig.defaults(3),
                    DataSpec.image(1, 8, 8, PixelRange.ZERO_ONE));
            ModelStore.save(VaeModel.create(spec, m), model);
        }
        SamplingJob job = SamplingJob.of(model, 90, tmp.resolve("a")).withShardSize(20);
        DistributedSampling.run(LocalSpark.context(), job.withPartitions(2));
        DistributedSampling.run(LocalSpark.context(), job.withPartitions(3).withOut(tmp.resolve("b")));
        for (Shard s : Shard.plan(90, 20, job.seed())) {
            NumpyArray a = Npy.read(tmp.resolve("a").resolve(s.fileName()));
            assertEquals(NumpyType.UINT8, a.type());
            assertEquals(List.of((long) s.count(), 1L, 8L, 8L), List.of(a.shape().get(0), a.shape().get(1),
                    a.shape().get(2), a.shape().get(3)));
            assertEquals(a, Npy.read(tmp.resolve("b").resolve(s.fileName())));
        }
    }
}
