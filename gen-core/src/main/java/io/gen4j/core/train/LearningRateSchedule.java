package io.gen4j.core.train;

/**
 * A learning rate as a stateless function of the update index: {@code lr = schedule.rate(t)}.
 *
 * <p>The counter lives with the caller (an optimizer's saved update count), never in the schedule,
 * so a resumed run gets the same rates.
 *
 * <ul>
 *   <li>{@link #constant}: {@code lr(t) = base};
 *   <li>{@link #linearWarmup}: {@code lr(t) = base * min(1, (t + 1) / warmup)};
 *   <li>{@link #cosine}: linear warm-up, then {@code lr(t) = min + (base - min) * (1 + cos(pi *
 *       p)) / 2} with {@code p = (t - warmup) / (total - warmup)} clamped to [0, 1] (SGDR,
 *       Loshchilov and Hutter 2017, without restarts).
 * </ul>
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /**
     * @param t the update index, 0-based (the first update uses {@code rate(0)})
     * @return the learning rate of that update
     */
    double rate(long t);

    /**
     * A constant rate.
     *
     * @param base the rate, &gt; 0
     * @return the schedule
     */
    static LearningRateSchedule constant(double base) {
        checkRate(base);
        return t -> base;
    }

    /**
     * Linear warm-up from {@code base / warmup} to {@code base} over {@code warmup} updates, then
     * constant.
     *
     * @param base the rate after warm-up, &gt; 0
     * @param warmup number of warm-up updates, &gt;= 0 (0: constant)
     * @return the schedule
     */
    static LearningRateSchedule linearWarmup(double base, long warmup) {
        checkRate(base);
        if (warmup < 0) {
            throw new IllegalArgumentException("warmup must be >= 0, got " + warmup);
        }
        return t -> warmup == 0 ? base : base * Math.min(1.0, (t + 1.0) / warmup);
    }

    /**
     * Linear warm-up then cosine decay to {@code min} at update {@code total}; constant
     * {@code min} after.
     *
     * @param base the peak rate, &gt; 0
     * @param min the final rate, in [0, base]
     * @param warmup number of warm-up updates, in [0, total)
     * @param total the update index where the decay reaches {@code min}, &gt; 0
     * @return the schedule
     */
    static LearningRateSchedule cosine(double base, double min, long warmup, long total) {
        checkRate(base);
        if (!(min >= 0 && min <= base)) {
            throw new IllegalArgumentException("min must be in [0, " + base + "], got " + min);
        }
        if (total <= 0) {
            throw new IllegalArgumentException("total must be > 0, got " + total);
        }
        if (warmup < 0 || warmup >= total) {
            throw new IllegalArgumentException(
                    "warmup must be in [0, " + total + "), got " + warmup);
        }
        return t -> {
            if (t < warmup) {
                return base * (t + 1.0) / warmup;
            }
            double p = Math.min(1.0, (double) (t - warmup) / (total - warmup));
            return min + (base - min) * 0.5 * (1.0 + Math.cos(Math.PI * p));
        };
    }

    private static void checkRate(double base) {
        if (!(base > 0) || Double.isInfinite(base)) {
            throw new IllegalArgumentException("learning rate must be finite and > 0, got " + base);
        }
    }
}
