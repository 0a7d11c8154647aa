package io.gen4j.spark;

import io.gen4j.eval.CnnFeatureExtractor;
import io.gen4j.spark.DistributedSampling.SamplingJob;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The entry point of {@code spark-submit} (docs/scaling.md):
 *
 * <pre>
 * sample --model DIR --count N --out DIR [--shard-size 1000] [--seed 1] [--partitions 8] [--threads 1]
 *        [--chunk 250] [--steps 0] [--eta NaN] [--temperature 1] [--label -1]
 * fid    --samples DIR --reference DIR --features identity|FILE [--partitions 8] [--batch 500] [--threads 1]
 * </pre>
 *
 * {@code sample} draws N samples of a saved model into shard files ({@link DistributedSampling});
 * {@code fid} computes the FID between the {@code .npy} files of two folders from merged moments
 * ({@link DistributedEvaluation}), with the samples themselves as features ({@code identity}, vector
 * data) or an in-project classifier saved by gen-eval's {@code CnnFeatureExtractor} ({@code FILE}, a
 * path every executor sees). The Spark master and resources come from {@code spark-submit}.
 */
public final class SparkJobs {

    private SparkJobs() {}

    /**
     * @param args the command and its options
     * @throws IOException when reading or writing fails
     */
    public static void main(String[] args) throws IOException {
        String name = args.length == 0 ? "help" : args[0];
        try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setAppName("gen4j-" + name))) {
            int code = run(sc, args, System.out);
            if (code != 0) {
                System.exit(code);
            }
        }
    }

    /**
     * Runs a command on a context.
     *
     * @param sc the Spark context
     * @param args the command and its options
     * @param out where the result lines go
     * @return 0 on success, 2 for a usage error
     * @throws IOException when reading or writing fails
     */
    public static int run(JavaSparkContext sc, String[] args, PrintStream out) throws IOException {
        if (args.length == 0 || !Set.of("sample", "fid").contains(args[0])) {
            out.println("usage: sample --model DIR --count N --out DIR [options] | fid --samples DIR --reference DIR"
                    + " --features identity|FILE [options] (see docs/scaling.md)");
            return 2;
        }
        Map<String, String> o = options(args);
        int partitions = Integer.parseInt(o.getOrDefault("partitions", "8"));
        int threads = Integer.parseInt(o.getOrDefault("threads", "1"));
        if (args[0].equals("sample")) {
            SampleSettings settings = new SampleSettings(Integer.parseInt(o.getOrDefault("steps", "0")),
                    Double.parseDouble(o.getOrDefault("eta", "NaN")),
                    Double.parseDouble(o.getOrDefault("temperature", "1")),
                    Integer.parseInt(o.getOrDefault("label", "-1")));
            SamplingJob job = new SamplingJob(Path.of(required(o, "model")), Long.parseLong(required(o, "count")),
                    Integer.parseInt(o.getOrDefault("shard-size", "1000")), Long.parseLong(o.getOrDefault("seed", "1")),
                    settings, Integer.parseInt(o.getOrDefault("chunk", "250")), partitions, threads,
                    Path.of(required(o, "out")));
            SamplingReport r = DistributedSampling.run(sc, job);
            out.printf(Locale.ROOT, "%d samples in %d shards, wall %.2f s, task time %.2f s, per JVM %s -> %s%n",
                    r.count(), r.shards().size(), r.wallSeconds(), r.taskSeconds(), r.countsPerJvm(), job.out());
            return 0;
        }
        String features = required(o, "features");
        ShardFeatures map = features.equals("identity") ? ShardFeatures.identity()
                : ShardFeatures.images(new ClassifierFeatures(features));
        int batch = Integer.parseInt(o.getOrDefault("batch", "500"));
        long t0 = System.nanoTime();
        List<String> samples = npyFiles(Path.of(required(o, "samples")));
        List<String> reference = npyFiles(Path.of(required(o, "reference")));
        int d = dimension(sc, samples, map, batch, threads);
        FeatureMoments a = DistributedEvaluation.moments(sc, samples, partitions, map, new double[d], batch, threads);
        FeatureMoments b = DistributedEvaluation.moments(sc, reference, partitions, map, new double[d], batch, threads);
        out.printf(Locale.ROOT, "FID %.10f (N = %d vs %d, d = %d, features %s) in %.2f s%n",
                DistributedEvaluation.fid(a, b), a.count(), b.count(), d, features, (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    /** The in-project classifier's features, loaded from a file every executor sees. */
    private record ClassifierFeatures(String file) implements ShardFeatures.ExtractorFactory {

        private static final long serialVersionUID = 1L;

        @Override
        public io.gen4j.eval.FeatureExtractor open(ai.djl.ndarray.NDManager manager) throws IOException {
            return CnnFeatureExtractor.load(Path.of(file), manager);
        }
    }

    private static int dimension(JavaSparkContext sc, List<String> files, ShardFeatures map, int batch, int threads) {
        return DistributedEvaluation.gather(sc, files.subList(0, 1), 1, map, batch, threads).dim();
    }

    private static List<String> npyFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> files = s.filter(p -> p.getFileName().toString().endsWith(".npy")).sorted()
                    .map(Path::toString).toList();
            if (files.isEmpty()) {
                throw new IOException(dir + " holds no .npy files");
            }
            return files;
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("options come as --name value pairs, got '" + args[i] + "'");
            }
            o.put(args[i].substring(2), args[i + 1]);
        }
        return o;
    }

    private static String required(Map<String, String> o, String name) {
        String v = o.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }
}
