package io.gen4j.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetResolverTest {

    @TempDir Path tmp;
    private Path home;
    private Path system;
    private Map<String, String> env;

    @BeforeEach
    void setUp() throws IOException {
        home = Files.createDirectories(tmp.resolve("home"));
        system = Files.createDirectories(tmp.resolve("usr-share-datasets"));
        env = new HashMap<>();
    }

    private DatasetResolver resolver() {
        return DatasetResolver.builder()
                .optEnvironment(env)
                .optUserHome(home)
                .optSystemRoots(List.of(system))
                .build();
    }

    @Test
    void triesSourcesInOrder() throws IOException {
        Path explicit = tmp.resolve("explicit");
        Path envDir = tmp.resolve("env");
        Path cache = home.resolve(".gen4j/datasets/fashion-mnist");
        Path sys = system.resolve("fashion-mnist");
        for (Path p : List.of(explicit, envDir, cache, sys)) {
            DataFixtures.writeIdxPair(p, "t10k", 3, 28, true, p.hashCode());
        }
        env.put("GEN4J_FASHION_MNIST", envDir.toString());
        DatasetResolver r = resolver();
        assertEquals(DatasetResolver.Source.EXPLICIT,
                r.locate(DatasetId.FASHION_MNIST, Split.TEST, explicit).source());
        assertEquals(envDir, r.locate(DatasetId.FASHION_MNIST, Split.TEST, null).directory());
        env.remove("GEN4J_FASHION_MNIST");
        DatasetResolver.Location l = resolver().locate(DatasetId.FASHION_MNIST, Split.TEST, null);
        assertEquals(DatasetResolver.Source.USER_CACHE, l.source());
        assertEquals(cache, l.directory());
        assertEquals(List.of(cache.resolve("t10k-images-idx3-ubyte.gz"),
                cache.resolve("t10k-labels-idx1-ubyte.gz")), l.files());
        Files.delete(cache.resolve("t10k-labels-idx1-ubyte.gz"));
        assertEquals(DatasetResolver.Source.SYSTEM,
                resolver().locate(DatasetId.FASHION_MNIST, Split.TEST, null).source());
        // a broken explicit directory falls through to the next source
        assertEquals(DatasetResolver.Source.SYSTEM,
                resolver().locate(DatasetId.FASHION_MNIST, Split.TEST, tmp.resolve("nope")).source());
    }

    @Test
    void loadsFromFoundFilesRawOrDotted() throws IOException {
        Path dir = tmp.resolve("mnist");
        DataFixtures.writeIdxPair(dir, "train", 5, 28, false, 3);
        Files.move(dir.resolve("train-images-idx3-ubyte"), dir.resolve("train-images.idx3-ubyte"));
        env.put("GEN4J_MNIST", dir.toString());
        ImageDataset ds = resolver().load(DatasetId.MNIST, Split.TRAIN);
        assertEquals(5, ds.size());
        assertEquals("mnist/train", ds.name());
        assertEquals(DatasetId.MNIST.classNames(), ds.classNames());
    }

    @Test
    void gen4jHomeFromEnvironment() throws IOException {
        Path g = tmp.resolve("g4");
        DataFixtures.writeIdxPair(g.resolve("datasets/mnist"), "t10k", 2, 28, true, 1);
        env.put("GEN4J_HOME", g.toString());
        DatasetResolver r = resolver();
        assertEquals(g.resolve("datasets"), r.cacheRoot());
        assertEquals(2, r.load(DatasetId.MNIST, Split.TEST).size());
    }

    @Test
    void cifarNestedDirectory() throws IOException {
        Path dir = tmp.resolve("c10");
        DataFixtures.writeCifarDirectory(dir.resolve("cifar-10-batches-bin"), 2, 5);
        env.put("GEN4J_CIFAR10", dir.toString());
        DatasetResolver.Location l = resolver().locate(DatasetId.CIFAR10, Split.TRAIN, null);
        assertEquals(dir.resolve("cifar-10-batches-bin"), l.directory());
        assertEquals(5, l.files().size());
        ImageDataset ds = DatasetResolver.read(l);
        assertEquals(10, ds.size());
        assertEquals(3, ds.channels());
    }

    @Test
    void errorListsEveryPlaceAndTheFixes() throws IOException {
        env.put("GEN4J_FASHION_MNIST", tmp.resolve("missing-env").toString());
        Path cache = home.resolve(".gen4j/datasets/fashion-mnist");
        DataFixtures.writeIdxPair(cache, "train", 2, 28, true, 1); // only the train split
        Files.createDirectories(system.resolve("fashion-mnist"));
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class,
                () -> resolver().load(DatasetId.FASHION_MNIST, Split.TEST, tmp.resolve("given")));
        String m = e.getMessage();
        assertEquals(5, e.attempts().size(), m);
        assertTrue(m.contains("FASHION_MNIST (test split) was not found"), m);
        assertTrue(m.contains("1. explicit " + tmp.resolve("given") + ": does not exist"), m);
        assertTrue(m.contains("2. environment " + tmp.resolve("missing-env") + ": does not exist"), m);
        assertTrue(m.contains("3. user cache " + cache + ": missing t10k-images-idx3-ubyte(.gz),"
                + " t10k-labels-idx1-ubyte(.gz)"), m);
        assertTrue(m.contains("4. system " + system.resolve("fashion-mnist") + ": missing"), m);
        assertTrue(m.contains("5. download DJL basicdataset: disabled"), m);
        assertTrue(m.contains("apt-get install dataset-fashion-mnist"), m);
        assertTrue(m.contains("set GEN4J_FASHION_MNIST"), m);
        assertTrue(m.contains("optAllowDownload(true)"), m);
    }

    @Test
    void unsetVariableIsReported() {
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class,
                () -> resolver().locate(DatasetId.CIFAR10, Split.TEST, null));
        assertTrue(e.getMessage().contains("environment $GEN4J_CIFAR10: not set"), e.getMessage());
        assertTrue(e.getMessage().contains("explicit (none): no directory given"), e.getMessage());
        assertTrue(!e.getMessage().contains("apt-get"), e.getMessage());
    }

    @Test
    void probeAndDescribeWithoutLoading() throws IOException {
        // a corrupt file is still "findable": probe does not read content
        Path sys = Files.createDirectories(system.resolve("fashion-mnist"));
        Files.write(sys.resolve("t10k-images-idx3-ubyte.gz"), new byte[] {1});
        Files.write(sys.resolve("t10k-labels-idx1-ubyte.gz"), new byte[] {1});
        DatasetResolver r = resolver();
        List<DatasetResolver.Probe> probes = r.probe();
        assertEquals(6, probes.size());
        long found = probes.stream().filter(p -> p.location().isPresent()).count();
        assertEquals(1, found);
        DatasetResolver.Probe p = probes.stream().filter(q -> q.location().isPresent()).findFirst().get();
        assertEquals(DatasetId.FASHION_MNIST, p.id());
        assertEquals(Split.TEST, p.split());
        String text = r.describe();
        assertTrue(text.contains("FASHION_MNIST TEST  found (system) " + sys), text);
        assertTrue(text.contains("MNIST         TRAIN not found; set GEN4J_MNIST"), text);
        assertEquals(7, text.lines().count(), text);
        assertThrows(DatasetFormatException.class, () -> r.load(DatasetId.FASHION_MNIST, Split.TEST));
    }
}
