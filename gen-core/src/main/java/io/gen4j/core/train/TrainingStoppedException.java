package io.gen4j.core.train;

import io.gen4j.core.runtime.StopRequestedException;
import io.gen4j.core.runtime.StopSignal;

/**
 * Thrown by {@link Fit} when a stop was requested ({@link StopSignal}: Ctrl-C or SIGTERM in the CLI): the run
 * stopped between two steps, after writing a checkpoint of the steps done when it has a checkpointer, so that
 * a resume continues from {@link #result()}{@code .endStep()}.
 */
public final class TrainingStoppedException extends StopRequestedException {

    private static final long serialVersionUID = 1L;

    private final transient FitResult result;
    private final long totalSteps;
    private final String reason;

    /**
     * @param result what the run did: its end step is the number of steps done, its last checkpoint the one
     *     written for them (empty when the run had no checkpointer, or had not done a step)
     * @param totalSteps the total the run was going to
     * @param why why the stop was requested
     */
    public TrainingStoppedException(FitResult result, long totalSteps, String why) {
        super("training stopped after step " + result.endStep() + " of " + totalSteps + " (" + why + ")"
                + result.lastCheckpoint().map(p -> "; checkpoint " + p).orElse(""));
        this.result = result;
        this.totalSteps = totalSteps;
        this.reason = why;
    }

    /** @return why the stop was requested */
    public String reason() {
        return reason;
    }

    /** @return what the run did before it stopped */
    public FitResult result() {
        return result;
    }

    /** @return the total the run was going to */
    public long totalSteps() {
        return totalSteps;
    }
}
