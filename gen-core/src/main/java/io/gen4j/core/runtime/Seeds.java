package io.gen4j.core.runtime;

import ai.djl.engine.Engine;
import java.util.Random;

/**
 * Repeatable randomness. A gen4j run has one long seed; from it come the engine's seed (for {@code
 * randomNormal} and friends) and the Java-side generators (shuffling, data synthesis), each derived
 * with SplitMix64 so that streams do not overlap.
 *
 * <p>On the CPU, same seed + same code + same thread count gives the same numbers. Training loops
 * re-seed the engine at every step with {@link #derive(long, long)} of (run seed, step), so a run
 * resumed from a checkpoint draws exactly the numbers an uninterrupted run would.
 */
public final class Seeds {

    private Seeds() {}

    /**
     * Seeds the engine with a value derived from {@code seed} and returns a Java generator for the
     * same run.
     *
     * @param seed the run's seed
     * @return a {@link Random} seeded from {@code seed}
     */
    public static Random seedAll(long seed) {
        seedEngine(derive(seed, 0));
        return new Random(derive(seed, 1));
    }

    /**
     * Seeds the engine's generator.
     *
     * @param seed any long; folded to the engine's int seed
     */
    public static void seedEngine(long seed) {
        Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
    }

    /**
     * A well-mixed seed for a sub-stream (SplitMix64 of the pair).
     *
     * @param seed the parent seed
     * @param stream which sub-stream (a step number, a worker index, ...)
     * @return the derived seed
     */
    public static long derive(long seed, long stream) {
        long z = seed + 0x9E3779B97F4A7C15L * (stream + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
