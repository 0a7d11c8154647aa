package io.gen4j.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.ServiceLoader;
import java.util.function.LongFunction;
import java.util.regex.Pattern;

/**
 * Metrics by name, as the CLI's {@code --metrics fid,kid,is,pr,dc} chooses them. Each name maps to
 * a factory that builds the metric for a seed (KID's subsets and IS's shuffle are seeded).
 *
 * <pre>{@code
 * MetricRegistry registry = MetricRegistry.defaults()
 *         .register("mean-distance", seed -> new MeanDistance());
 * List<Metric> metrics = registry.create(List.of("fid", "mean-distance"), 7);
 * }</pre>
 *
 * <p>{@link #defaults()} holds the five metrics of gen-eval with their papers' settings;
 * {@link #installed()} adds every {@link MetricProvider} on the class path.
 */
public final class MetricRegistry {

    /** The names of {@link #defaults()}, in the order results are reported. */
    public static final List<String> DEFAULT_NAMES = List.of("fid", "kid", "is", "pr", "dc");

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    private final Map<String, LongFunction<Metric>> factories = new LinkedHashMap<>();

    private MetricRegistry() {}

    /**
     * A registry with {@code fid} ({@link Fid}), {@code kid} ({@link Kid}, {@link KidConfig#defaults()}
     * with the seed), {@code is} ({@link InceptionScore}, 10 splits, the seed), {@code pr}
     * ({@link PrecisionRecall}, k = 3) and {@code dc} ({@link DensityCoverage}, k = 5).
     *
     * @return a new registry, open to more names
     */
    public static MetricRegistry defaults() {
        return new MetricRegistry()
                .register("fid", seed -> new Fid())
                .register("kid", seed -> new Kid(KidConfig.defaults().withSeed(seed)))
                .register("is", seed -> new InceptionScore(InceptionScoreConfig.defaults().withSeed(seed)))
                .register("pr", seed -> new PrecisionRecall(PrecisionRecall.DEFAULT_K))
                .register("dc", seed -> new DensityCoverage(DensityCoverage.DEFAULT_K));
    }

    /**
     * {@link #defaults()} plus every {@link MetricProvider} found by {@link ServiceLoader} with this
     * class's class loader.
     *
     * @return a new registry
     * @throws IllegalArgumentException when a provider's name is invalid or already taken
     */
    public static MetricRegistry installed() {
        MetricRegistry registry = defaults();
        for (MetricProvider provider : ServiceLoader.load(MetricProvider.class, MetricRegistry.class.getClassLoader())) {
            registry.register(provider.name(), provider::create);
        }
        return registry;
    }

    /**
     * Adds a metric.
     *
     * @param name lower case letters, digits, {@code -} and {@code _}, starting with a letter or
     *     digit; not yet registered
     * @param factory builds the metric for a seed
     * @return this registry
     */
    public MetricRegistry register(String name, LongFunction<Metric> factory) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("metric name must match " + NAME + ", got '" + name + "'");
        }
        if (factory == null) {
            throw new IllegalArgumentException("metric '" + name + "' needs a factory");
        }
        if (factories.containsKey(name)) {
            throw new IllegalArgumentException("metric '" + name + "' is already registered");
        }
        factories.put(name, factory);
        return this;
    }

    /** @return the registered names, in registration order */
    public Set<String> names() {
        return java.util.Collections.unmodifiableSet(factories.keySet());
    }

    /**
     * @param name a registered name, case-insensitive, surrounding blanks ignored
     * @param seed the evaluation's seed
     * @return the metric
     * @throws IllegalArgumentException naming the registered names when {@code name} is not one
     */
    public Metric create(String name, long seed) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        LongFunction<Metric> factory = factories.get(key);
        if (factory == null) {
            throw new IllegalArgumentException("unknown metric '" + name + "', expected one of "
                    + String.join(", ", factories.keySet()));
        }
        return factory.apply(seed);
    }

    /**
     * @param names registered names, in the order the results should come
     * @param seed the evaluation's seed
     * @return the metrics
     */
    public List<Metric> create(List<String> names, long seed) {
        List<Metric> out = new ArrayList<>(names.size());
        for (String name : names) {
            out.add(create(name, seed));
        }
        return out;
    }
}
