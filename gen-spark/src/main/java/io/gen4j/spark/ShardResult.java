package io.gen4j.spark;

import java.io.Serializable;

/**
 * What a task reports for one shard of a distributed sampling job.
 *
 * @param shard the shard's index
 * @param count samples written
 * @param file where (a path on the shared file system)
 * @param nanos time to draw and write them
 * @param jvm the executor JVM ({@code pid@host})
 * @param engineStarts how many times that JVM had started the engine when the shard ended (1)
 * @param attempt Spark's attempt number of the task (0 unless it was retried)
 */
public record ShardResult(int shard, int count, String file, long nanos, String jvm, int engineStarts, int attempt)
        implements Serializable {

    private static final long serialVersionUID = 1L;
}
