package io.gen4j.spark;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.io.NpyWriter;
import io.gen4j.core.io.NumpyType;
import io.gen4j.core.model.ChunkedSampleable;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.PreparedSampler;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.runtime.Seeds;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Draws N samples of a saved model on a Spark cluster: the model is broadcast to the executors as
 * bytes ({@link ModelBytes}), the samples are cut into {@link Shard}s with their own seeds, each task
 * draws its shards and writes each to {@code <out>/shard-NNNNNN.npy} on a shared file system (images as
 * uint8 in the model's pixel range, vectors as float32), and the driver gets counts and timings.
 *
 * <p>The samples depend on the model, the global seed, the shard size, the {@link SampleSettings},
 * the chunk size and the engine's thread count, not on the number of partitions or executors (test:
 * 2 and 3 partitions write the same bytes). {@link #sampleShard} is the one-JVM twin of a task.
 *
 * <pre>{@code
 * SamplingReport r = DistributedSampling.run(sc, SamplingJob.of(modelDir, 50_000, out).withPartitions(8));
 * }</pre>
 */
public final class DistributedSampling {

    private static final Logger LOG = LoggerFactory.getLogger(DistributedSampling.class);

    private DistributedSampling() {}

    /**
     * A sampling job.
     *
     * @param model the model folder, read on the driver and broadcast
     * @param total N, at least 1
     * @param shardSize samples per shard, at least 1 (part of the result's definition)
     * @param seed the global seed
     * @param settings the sampler settings
     * @param chunk samples drawn at once inside a shard, at least 1 (bounds an executor's memory)
     * @param partitions Spark partitions, at least 1 (does not change the samples)
     * @param threads intra-op threads per executor JVM, at least 1
     * @param out the output folder on a file system every executor sees
     */
    public record SamplingJob(Path model, long total, int shardSize, long seed, SampleSettings settings, int chunk,
            int partitions, int threads, Path out) {

        /** Validates. */
        public SamplingJob {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(out, "out");
            Shard.plan(total, shardSize, seed);
            if (chunk < 1 || partitions < 1 || threads < 1) {
                throw new IllegalArgumentException("chunk, partitions and threads must be >= 1, got "
                        + chunk + ", " + partitions + ", " + threads);
            }
        }

        /**
         * A job with shards of 1000, seed 1, the model's default settings, chunks of 250, 2 partitions,
         * 1 thread.
         *
         * @param model the model folder
         * @param total N
         * @param out the output folder
         * @return the job
         */
        public static SamplingJob of(Path model, long total, Path out) {
            return new SamplingJob(model, total, 1000, 1, SampleSettings.defaults(), 250, 2, 1, out);
        }

        /**
         * @param n partitions
         * @return this job with n partitions
         */
        public SamplingJob withPartitions(int n) {
            return new SamplingJob(model, total, shardSize, seed, settings, chunk, n, threads, out);
        }

        /**
         * @param size samples per shard
         * @return this job with that shard size
         */
        public SamplingJob withShardSize(int size) {
            return new SamplingJob(model, total, size, seed, settings, Math.min(chunk, size), partitions, threads, out);
        }

        /**
         * @param newSeed the global seed
         * @return this job with that seed
         */
        public SamplingJob withSeed(long newSeed) {
            return new SamplingJob(model, total, shardSize, newSeed, settings, chunk, partitions, threads, out);
        }

        /**
         * @param newOut the output folder
         * @return this job writing there
         */
        public SamplingJob withOut(Path newOut) {
            return new SamplingJob(model, total, shardSize, seed, settings, chunk, partitions, threads, newOut);
        }

        /**
         * @param newSettings the sampler settings
         * @return this job with them
         */
        public SamplingJob withSettings(SampleSettings newSettings) {
            return new SamplingJob(model, total, shardSize, seed, newSettings, chunk, partitions, threads, out);
        }
    }

    /**
     * Runs a job.
     *
     * @param sc the Spark context
     * @param job what to draw
     * @return counts and timings, shards in order
     * @throws IOException when the model cannot be read or the output folder made
     */
    public static SamplingReport run(JavaSparkContext sc, SamplingJob job) throws IOException {
        long t0 = System.nanoTime();
        ModelBytes bytes = ModelBytes.read(job.model());
        Files.createDirectories(job.out());
        Broadcast<ModelBytes> model = sc.broadcast(bytes);
        List<Shard> shards = Shard.plan(job.total(), job.shardSize(), job.seed());
        Task task = new Task(model, job.settings(), job.chunk(), job.threads(), job.out().toString());
        List<ShardResult> results = new ArrayList<>(sc.parallelize(shards, job.partitions())
                .mapPartitions(task::run).collect());
        results.sort(Comparator.comparingInt(ShardResult::shard));
        model.destroy();
        SamplingReport report = new SamplingReport(results, System.nanoTime() - t0);
        LOG.info("{} samples in {} shards over {} partitions in {} s (task time {} s) -> {}", report.count(),
                results.size(), job.partitions(), String.format("%.2f", report.wallSeconds()),
                String.format("%.2f", report.taskSeconds()), job.out());
        return report;
    }

    /**
     * Draws one shard in this JVM and writes it, exactly as a task does: what a single machine runs to
     * get the same samples as the cluster.
     *
     * @param model the model
     * @param shard the shard
     * @param settings sampler settings
     * @param chunk samples drawn at once
     * @param out the output folder
     * @param manager the parent of the shard's scope
     * @return the file written
     * @throws IOException when writing fails
     */
    public static Path sampleShard(GenerativeModel model, Shard shard, SampleSettings settings, int chunk, Path out,
            NDManager manager) throws IOException {
        DataSpec data = model.spec().data();
        Shape one = new Shape(data.shape());
        Path target = out.resolve(shard.fileName());
        Path partial = out.resolve(shard.fileName() + ".partial-" + ExecutorRuntime.jvm().replaceAll("\\W", "_")
                + "-" + Thread.currentThread().getId());
        SampleOptions options = settings.options();
        synchronized (ExecutorRuntime.RANDOMNESS) {
            Seeds.seedEngine(shard.seed());
            try (NDManager scope = manager.newSubManager();
                    PreparedSampler sampler = model.prepareSampler(scope, options);
                    NpyWriter writer = data.isImage() ? NpyWriter.images(partial, one, data.pixels())
                            : NpyWriter.create(partial, NumpyType.FLOAT32, one)) {
                new ChunkedSampleable(sampler, chunk).sampleTo(scope, shard.count(), writer::append);
            }
        }
        // A retried or speculative task rewrites the same bytes; the rename makes the file appear whole.
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /** The work of one partition, shipped to the executors. */
    private record Task(Broadcast<ModelBytes> model, SampleSettings settings, int chunk, int threads, String out)
            implements Serializable {

        private static final long serialVersionUID = 1L;

        Iterator<ShardResult> run(Iterator<Shard> shards) {
            ExecutorRuntime.start(threads);
            GenerativeModel m = ExecutorRuntime.model(model.value());
            TaskContext context = TaskContext.get();
            int attempt = context == null ? 0 : context.attemptNumber();
            List<ShardResult> done = new ArrayList<>();
            try (NDManager manager = NDManager.newBaseManager()) {
                while (shards.hasNext()) {
                    Shard s = shards.next();
                    long t0 = System.nanoTime();
                    Path file = sampleShard(m, s, settings, chunk, Path.of(out), manager);
                    done.add(new ShardResult(s.index(), s.count(), file.toString(), System.nanoTime() - t0,
                            ExecutorRuntime.jvm(), ExecutorRuntime.starts(), attempt));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return done.iterator();
        }
    }
}
