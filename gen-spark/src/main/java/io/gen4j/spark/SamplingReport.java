package io.gen4j.spark;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the driver gets back from {@link DistributedSampling}: counts and timings, no samples.
 *
 * @param shards one result per shard, in shard order
 * @param wallNanos the job's wall time on the driver
 */
public record SamplingReport(List<ShardResult> shards, long wallNanos) {

    /** Copies the list. */
    public SamplingReport {
        shards = List.copyOf(shards);
    }

    /** @return samples written in all */
    public long count() {
        return shards.stream().mapToLong(ShardResult::count).sum();
    }

    /** @return the summed task time of the shards (draw and write), in seconds */
    public double taskSeconds() {
        return shards.stream().mapToLong(ShardResult::nanos).sum() / 1e9;
    }

    /** @return the wall time in seconds */
    public double wallSeconds() {
        return wallNanos / 1e9;
    }

    /** @return samples written per executor JVM */
    public Map<String, Long> countsPerJvm() {
        Map<String, Long> out = new TreeMap<>();
        for (ShardResult r : shards) {
            out.merge(r.jvm(), (long) r.count(), Long::sum);
        }
        return out;
    }

    /** @return the files, in shard order */
    public List<String> files() {
        return shards.stream().map(ShardResult::file).toList();
    }
}
