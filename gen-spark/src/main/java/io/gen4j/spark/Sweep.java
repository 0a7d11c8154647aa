package io.gen4j.spark;

import io.gen4j.core.io.AtomicFiles;
import io.gen4j.core.io.RunDirectory;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * A hyperparameter sweep on Spark: one task per point, each training in its own run directory {@code
 * <root>/run-NNN} (a gen-core {@code RunDirectory}: {@code config.json} with the point, {@code checkpoints/},
 * whatever the trainer adds) with checkpoints, the final metrics collected into one table ({@code
 * <root>/sweep.csv}). A task that dies is retried by Spark ({@code spark.task.maxFailures}, e.g. master
 * {@code local[2,2]} in local mode) and resumes from its run's checkpoint ({@link SweepTrainer}).
 *
 * <p>The engine's random generator is per process and {@code Fit} seeds it at every step, so the
 * trainings of one executor JVM run one after another (each may use all its intra-op threads); the
 * sweep runs in parallel across executors. Give executors {@code spark.executor.cores} equal to {@code
 * spark.task.cpus} so that a JVM is not handed tasks it can only queue.
 *
 * <pre>{@code
 * var points = SweepSpace.grid(new LinkedHashMap<>(Map.of("beta", List.of(0.5, 1.0, 2.0))));
 * Sweep.Table t = Sweep.run(sc, points, (p, dir) -> trainVae(p.get("beta"), dir), root, 1);
 * }</pre>
 */
public final class Sweep {

    private static final Logger LOG = LoggerFactory.getLogger(Sweep.class);

    private Sweep() {}

    /**
     * One trained point.
     *
     * @param index the point's index
     * @param parameters its parameters
     * @param metrics the trainer's final metrics
     * @param runDir its run directory
     * @param attempt Spark's attempt number of the task that finished it (0: first try)
     * @param seconds the finishing attempt's training time (not counting the wait for the JVM's
     *     generator, {@link ExecutorRuntime#RANDOMNESS})
     * @param jvm the executor JVM that finished it
     */
    public record Row(int index, Map<String, Double> parameters, Map<String, Double> metrics, String runDir,
            int attempt, double seconds, String jvm) implements Serializable {

        private static final long serialVersionUID = 1L;
    }

    /**
     * The sweep's results.
     *
     * @param rows one per point, in point order
     * @param wallSeconds the sweep's wall time on the driver
     */
    public record Table(List<Row> rows, double wallSeconds) {

        /** Copies the rows. */
        public Table {
            rows = List.copyOf(rows);
        }

        /** @return the table as CSV: index, the parameters, the metrics, attempt, seconds, run */
        public String toCsv() {
            TreeSet<String> params = new TreeSet<>();
            TreeSet<String> metrics = new TreeSet<>();
            for (Row r : rows) {
                params.addAll(r.parameters().keySet());
                metrics.addAll(r.metrics().keySet());
            }
            StringBuilder sb = new StringBuilder("index");
            params.forEach(p -> sb.append(',').append(p));
            metrics.forEach(m -> sb.append(',').append(m));
            sb.append(",attempt,seconds,run\n");
            for (Row r : rows) {
                sb.append(r.index());
                params.forEach(p -> sb.append(',').append(value(r.parameters().get(p))));
                metrics.forEach(m -> sb.append(',').append(value(r.metrics().get(m))));
                sb.append(',').append(r.attempt()).append(',')
                        .append(String.format(Locale.ROOT, "%.3f", r.seconds())).append(',')
                        .append(r.runDir()).append('\n');
            }
            return sb.toString();
        }

        private static String value(Double v) {
            return v == null ? "" : Double.toString(v);
        }
    }

    /**
     * Runs a sweep.
     *
     * @param sc the Spark context
     * @param points the points ({@link SweepSpace})
     * @param trainer trains one point, resuming from its checkpoints
     * @param root the sweep's folder on a file system every executor sees
     * @param threads intra-op threads per executor JVM
     * @return the table, also written to {@code root/sweep.csv}
     * @throws IOException when the table cannot be written
     */
    public static Table run(JavaSparkContext sc, List<Map<String, Double>> points, SweepTrainer trainer, Path root,
            int threads) throws IOException {
        Objects.requireNonNull(trainer, "trainer");
        if (points.isEmpty()) {
            throw new IllegalArgumentException("a sweep needs at least one point");
        }
        long t0 = System.nanoTime();
        Files.createDirectories(root);
        List<Tuple2<Integer, Map<String, Double>>> indexed = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            indexed.add(new Tuple2<>(i, new TreeMap<>(points.get(i))));
        }
        Task task = new Task(trainer, root.toString(), threads);
        List<Row> rows = new ArrayList<>(sc.parallelize(indexed, indexed.size()).map(task::run).collect());
        rows.sort(Comparator.comparingInt(Row::index));
        Table table = new Table(rows, (System.nanoTime() - t0) / 1e9);
        byte[] csv = table.toCsv().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(root.resolve("sweep.csv"), out -> out.write(csv));
        LOG.info("sweep of {} points in {} s -> {}", rows.size(), String.format("%.1f", table.wallSeconds()),
                root.resolve("sweep.csv"));
        return table;
    }

    /**
     * @param root the sweep's folder
     * @param index a point's index
     * @return that point's run directory
     */
    public static Path runDirectory(Path root, int index) {
        return root.resolve(String.format(Locale.ROOT, "run-%03d", index));
    }

    private record Task(SweepTrainer trainer, String root, int threads) implements Serializable {

        private static final long serialVersionUID = 1L;

        Row run(Tuple2<Integer, Map<String, Double>> point) throws Exception {
            ExecutorRuntime.start(threads);
            TaskContext context = TaskContext.get();
            int attempt = context == null ? 0 : context.attemptNumber();
            Path dir = Files.createDirectories(runDirectory(Path.of(root), point._1()));
            RunDirectory.open(dir).writeConfig(point._2());
            Map<String, Double> metrics;
            long seconds;
            // Fit seeds the engine's generator, which is per process: one training at a time per JVM.
            synchronized (ExecutorRuntime.RANDOMNESS) {
                LOG.info("sweep point {} {} attempt {} in {}", point._1(), point._2(), attempt, dir);
                long t0 = System.nanoTime();
                metrics = trainer.train(point._2(), dir);
                seconds = System.nanoTime() - t0;
            }
            return new Row(point._1(), point._2(), new TreeMap<>(metrics), dir.toString(), attempt,
                    seconds / 1e9, ExecutorRuntime.jvm());
        }
    }
}
