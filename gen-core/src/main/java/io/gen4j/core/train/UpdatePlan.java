package io.gen4j.core.train;

/**
 * When a player of a {@link MultiPlayerStep} updates: a predicate on the global step index.
 *
 * <p>{@link #everyStep()} is the DCGAN plan (both networks every step); WGAN's n_critic = 5
 * (Arjovsky et al. 2017, Algorithm 1) gives the critic {@code everyStep()} and the generator {@code
 * every(5, 4)}: the generator updates after every fifth critic update. Any other plan (a
 * discriminator-only warm-up, {@code s -> s >= 1000}) is a lambda.
 */
@FunctionalInterface
public interface UpdatePlan {

    /**
     * @param step the global step index, 0-based
     * @return whether the player updates in this step
     */
    boolean updatesAt(long step);

    /** @return a plan that updates at every step */
    static UpdatePlan everyStep() {
        return step -> true;
    }

    /**
     * @param period update once every this many steps, &gt;= 1
     * @param phase at the steps with {@code step % period == phase}, in [0, period)
     * @return the periodic plan
     */
    static UpdatePlan every(int period, int phase) {
        if (period < 1) {
            throw new IllegalArgumentException("period must be >= 1, got " + period);
        }
        if (phase < 0 || phase >= period) {
            throw new IllegalArgumentException("phase must be in [0, " + period + "), got " + phase);
        }
        return step -> step % period == phase;
    }
}
