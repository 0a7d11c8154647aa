package io.gen4j.core.train;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;

class LearningRateScheduleProperties {

    @Property(tries = 200, seed = "20261203")
    boolean cosineStaysBetweenMinAndBase(
            @ForAll @DoubleRange(min = 0.01, max = 1.0) double base,
            @ForAll @DoubleRange(min = 0.0, max = 1.0) double minFraction,
            @ForAll @LongRange(min = 0, max = 1000) long warmup,
            @ForAll @LongRange(min = 1, max = 5000) long extra,
            @ForAll @LongRange(min = 0, max = 100_000) long t) {
        double min = base * minFraction;
        LearningRateSchedule s = LearningRateSchedule.cosine(base, min, warmup, warmup + extra);
        double r = s.rate(t);
        boolean belowBase = r <= base * (1 + 1e-12);
        boolean aboveMinAfterWarmup = t < warmup || r >= min * (1 - 1e-12);
        boolean positiveDuringWarmup = t >= warmup || r > 0;
        return belowBase && aboveMinAfterWarmup && positiveDuringWarmup;
    }

    @Property(tries = 200, seed = "20261203")
    boolean warmupIsMonotoneAndReachesBase(
            @ForAll @DoubleRange(min = 0.01, max = 1.0) double base,
            @ForAll @LongRange(min = 1, max = 1000) long warmup,
            @ForAll @LongRange(min = 0, max = 2000) long t) {
        LearningRateSchedule s = LearningRateSchedule.linearWarmup(base, warmup);
        return s.rate(t) <= s.rate(t + 1) && s.rate(t) <= base
                && (t < warmup - 1 || s.rate(t) == base);
    }
}
