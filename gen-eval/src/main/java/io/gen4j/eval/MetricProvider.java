package io.gen4j.eval;

/**
 * A metric offered by name to {@link MetricRegistry#installed()}, found with {@link
 * java.util.ServiceLoader}: list the implementation's class name in {@code
 * META-INF/services/io.gen4j.eval.MetricProvider} of your jar and the CLI's {@code --metrics}
 * accepts its name next to {@code fid,kid,is,pr,dc}.
 *
 * <p>Implementations need a public no-argument constructor.
 */
public interface MetricProvider {

    /**
     * @return the registry name, lower case letters, digits and {@code -} (e.g. {@code mean-distance})
     */
    String name();

    /**
     * @param seed the evaluation's seed, for metrics that draw subsets or splits
     * @return the metric
     */
    Metric create(long seed);
}
