package io.gen4j.spark;

import io.gen4j.core.runtime.Seeds;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One piece of a distributed job's samples: the unit that makes results independent of the
 * partitioning. N samples are cut into shards of a fixed size; shard k holds samples [k·size,
 * min((k+1)·size, N)) and draws them with the engine seeded by {@code Seeds.derive(seed, k)}, a value
 * of the global seed and k only. However the shards are spread over partitions and executors, each is
 * drawn the same way, so the set of samples is the same.
 *
 * @param index k, from 0
 * @param from the index of its first sample
 * @param count how many samples it holds, at least 1
 * @param seed its seed
 */
public record Shard(int index, long from, int count, long seed) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Validates. */
    public Shard {
        if (index < 0 || from < 0 || count < 1) {
            throw new IllegalArgumentException("a shard needs index >= 0, from >= 0, count >= 1, got "
                    + index + ", " + from + ", " + count);
        }
    }

    /**
     * Cuts N samples into shards.
     *
     * @param total N, at least 1
     * @param shardSize samples per shard (the last may hold fewer), at least 1; part of the result's
     *     definition: the same seed with another shard size gives other samples
     * @param seed the global seed
     * @return the shards in order
     */
    public static List<Shard> plan(long total, int shardSize, long seed) {
        if (total < 1) {
            throw new IllegalArgumentException("total must be >= 1, got " + total);
        }
        if (shardSize < 1) {
            throw new IllegalArgumentException("shardSize must be >= 1, got " + shardSize);
        }
        long shards = (total + shardSize - 1) / shardSize;
        if (shards > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("total / shardSize must be below 2^31 shards, got " + shards);
        }
        List<Shard> out = new ArrayList<>((int) shards);
        for (int k = 0; k < shards; k++) {
            long from = (long) k * shardSize;
            out.add(new Shard(k, from, (int) Math.min(shardSize, total - from), Seeds.derive(seed, k)));
        }
        return out;
    }

    /** @return the shard's file name, {@code shard-000042.npy} */
    public String fileName() {
        return String.format(java.util.Locale.ROOT, "shard-%06d.npy", index);
    }
}
