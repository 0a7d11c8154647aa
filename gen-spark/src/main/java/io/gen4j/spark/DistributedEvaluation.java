package io.gen4j.spark;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.io.Npy;
import io.gen4j.eval.Features;
import io.gen4j.eval.Fid;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * Features of sample files (the shards of {@link DistributedSampling}, or any {@code .npy} files) extracted
 * on the executors, and the metrics that follow from them.
 *
 * <ul>
 *   <li>{@link #moments}: FID's sufficient statistics, accumulated per partition and merged on the
 *       driver ({@link FeatureMoments}); the driver holds d + d² doubles whatever N is, and the FID
 *       equals the one computed in one JVM from the same features (to 1e-9, test).</li>
 *   <li>{@link #gather}: the feature rows themselves, in file order, for the metrics that need every
 *       pair of rows (KID, precision/recall, density/coverage). The driver holds N·d doubles: 50,000
 *       Inception features (d = 2048) are 819 MB, 50,000 in-project classifier features (d = 128) 51 MB;
 *       give the driver that much heap ({@code --driver-memory}) on top of its usual needs.</li>
 * </ul>
 */
public final class DistributedEvaluation {

    private DistributedEvaluation() {}

    /**
     * FID's statistics of the samples in some files, computed on the executors.
     *
     * @param sc the Spark context
     * @param files sample files on a file system every executor sees
     * @param partitions Spark partitions, at least 1
     * @param features the feature map
     * @param shift the shift c of the sums (see {@link FeatureMoments}); zeros of the feature dimension
     *     for none
     * @param batch rows per forward pass, at least 1
     * @param threads intra-op threads per executor JVM
     * @return the merged statistics
     */
    public static FeatureMoments moments(JavaSparkContext sc, List<String> files, int partitions,
            ShardFeatures features, double[] shift, int batch, int threads) {
        check(files, partitions, batch);
        MomentsTask task = new MomentsTask(features, shift.clone(), batch, threads);
        return sc.parallelize(files, partitions).mapPartitions(task::run).reduce(FeatureMoments::merge);
    }

    /**
     * The features of the samples in some files, extracted on the executors and gathered on the
     * driver in file order.
     *
     * @param sc the Spark context
     * @param files sample files
     * @param partitions Spark partitions
     * @param features the feature map
     * @param batch rows per forward pass
     * @param threads intra-op threads per executor JVM
     * @return N × d features (N·d·8 bytes on the driver)
     */
    public static Features gather(JavaSparkContext sc, List<String> files, int partitions, ShardFeatures features,
            int batch, int threads) {
        check(files, partitions, batch);
        List<FileFeatures> parts = new ArrayList<>(sc.parallelize(files, partitions).zipWithIndex()
                .mapPartitions(new GatherTask(features, batch, threads)::run).collect());
        parts.sort((a, b) -> Long.compare(a.index(), b.index()));
        return Features.concat(parts.stream().map(p -> new Features(p.count(), p.dim(), p.data())).toList());
    }

    /**
     * FID between two sets of statistics.
     *
     * @param a one set (e.g. the model's samples)
     * @param b the other (e.g. the real data)
     * @return the Fréchet distance of the fitted Gaussians
     */
    public static double fid(FeatureMoments a, FeatureMoments b) {
        return Fid.fromStatistics(a.statistics(), b.statistics());
    }

    /**
     * The statistics of some files in this JVM, exactly as a task computes them: the single-machine twin.
     *
     * @param files sample files
     * @param features the feature map
     * @param shift c
     * @param batch rows per forward pass
     * @param manager the parent of the scopes
     * @return the statistics
     * @throws IOException when a file cannot be read
     */
    public static FeatureMoments momentsOf(Iterator<String> files, ShardFeatures features, double[] shift, int batch,
            NDManager manager) throws IOException {
        FeatureMoments acc = FeatureMoments.empty(shift);
        try (NDManager task = manager.newSubManager(); ShardFeatures.Featurizer f = features.open(task)) {
            while (files.hasNext()) {
                String file = files.next();
                try (NDManager scope = task.newSubManager()) {
                    NDArray all = Npy.read(Path.of(file), scope);
                    long n = all.getShape().get(0);
                    for (long from = 0; from < n; from += batch) {
                        try (NDManager step = scope.newSubManager()) {
                            NDArray x = all.get(from + ":" + Math.min(n, from + batch));
                            x.attach(step);
                            acc = acc.add(f.features(x));
                        }
                    }
                }
            }
        }
        return acc;
    }

    /**
     * The features of one file in this JVM, as a task extracts them.
     *
     * @param file a sample file
     * @param f an opened feature map
     * @param batch rows per forward pass
     * @param manager the parent of the scopes
     * @return its features
     * @throws IOException when it cannot be read
     */
    public static Features featuresOf(String file, ShardFeatures.Featurizer f, int batch, NDManager manager)
            throws IOException {
        List<Features> parts = new ArrayList<>();
        try (NDManager scope = manager.newSubManager()) {
            NDArray all = Npy.read(Path.of(file), scope);
            long n = all.getShape().get(0);
            for (long from = 0; from < n; from += batch) {
                try (NDManager step = scope.newSubManager()) {
                    NDArray x = all.get(from + ":" + Math.min(n, from + batch));
                    x.attach(step);
                    parts.add(Features.fromNDArray(f.features(x)));
                }
            }
        }
        return Features.concat(parts);
    }

    private static void check(List<String> files, int partitions, int batch) {
        Objects.requireNonNull(files, "files");
        if (files.isEmpty() || partitions < 1 || batch < 1) {
            throw new IllegalArgumentException("need at least one file, partitions >= 1 and batch >= 1, got "
                    + files.size() + ", " + partitions + ", " + batch);
        }
    }

    private record MomentsTask(ShardFeatures features, double[] shift, int batch, int threads) implements Serializable {

        private static final long serialVersionUID = 1L;

        Iterator<FeatureMoments> run(Iterator<String> files) {
            ExecutorRuntime.start(threads);
            try (NDManager manager = NDManager.newBaseManager()) {
                return List.of(momentsOf(files, features, shift, batch, manager)).iterator();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The features of one file on their way to the driver (gen-eval's Features is not Serializable). */
    private record FileFeatures(long index, int count, int dim, double[] data) implements Serializable {

        private static final long serialVersionUID = 1L;
    }

    private record GatherTask(ShardFeatures features, int batch, int threads) implements Serializable {

        private static final long serialVersionUID = 1L;

        Iterator<FileFeatures> run(Iterator<Tuple2<String, Long>> files) {
            ExecutorRuntime.start(threads);
            List<FileFeatures> out = new ArrayList<>();
            try (NDManager manager = NDManager.newBaseManager(); ShardFeatures.Featurizer f = features.open(manager)) {
                while (files.hasNext()) {
                    Tuple2<String, Long> file = files.next();
                    Features x = featuresOf(file._1(), f, batch, manager);
                    out.add(new FileFeatures(file._2(), x.count(), x.dim(), x.data()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.iterator();
        }
    }
}
