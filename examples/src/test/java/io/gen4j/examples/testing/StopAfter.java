package io.gen4j.examples.testing;

import io.gen4j.core.train.FitListener;
import io.gen4j.core.train.StepEnd;

/**
 * A listener that "kills" a run: it throws after the given number of steps, counted over every
 * training the listener is attached to, as a crash of the process would stop it.
 */
public final class StopAfter implements FitListener {

    /** What the listener throws. */
    public static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped(long steps) {
            super("stopped after " + steps + " steps");
        }
    }

    private final long steps;
    private long seen;

    /** @param steps steps to let through before throwing */
    public StopAfter(long steps) {
        this.steps = steps;
    }

    @Override
    public void onStepEnd(StepEnd e) {
        if (++seen == steps) {
            throw new Stopped(seen);
        }
    }
}
