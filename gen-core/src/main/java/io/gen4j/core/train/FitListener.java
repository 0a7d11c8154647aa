package io.gen4j.core.train;

import java.nio.file.Path;

/**
 * Receives the events of a {@link Fit} run: progress bars, metric logs, plots. All methods have
 * empty defaults; implement the ones you need.
 */
public interface FitListener {

    /**
     * Called after every successful step (metrics are finite).
     *
     * @param event the step's index, metrics and timing
     */
    default void onStepEnd(StepEnd event) {}

    /**
     * Called after a checkpoint was written.
     *
     * @param completedSteps the number of steps it contains
     * @param file the checkpoint file
     */
    default void onCheckpoint(long completedSteps, Path file) {}

    /**
     * Called once when the run reached its last step.
     *
     * @param result the outcome
     */
    default void onFinish(FitResult result) {}

    /**
     * Called once when the run stopped at a safe point because a stop was requested ({@link
     * io.gen4j.core.runtime.StopSignal}), after its checkpoint was written and before {@link
     * TrainingStoppedException} is thrown; {@link #onFinish} is then not called.
     *
     * @param result what the run did (its end step is the number of steps done)
     */
    default void onStop(FitResult result) {}
}
