package io.gen4j.examples.topics;

import io.gen4j.core.runtime.StopRequestedException;
import io.gen4j.core.train.TrainingStoppedException;

/**
 * A run's training stopped at a safe point because a stop was requested (Ctrl-C or SIGTERM): its checkpoint is
 * written, and the message names the command that continues the run.
 */
public final class RunStoppedException extends StopRequestedException {

    private static final long serialVersionUID = 1L;

    private final String resumeCommand;

    /**
     * @param cause the training's stop
     * @param training the training's name in the run
     * @param resumeCommand the command line that continues the run
     */
    public RunStoppedException(TrainingStoppedException cause, String training, String resumeCommand) {
        super("training '" + training + "' stopped after step " + cause.result().endStep() + " of "
                + cause.totalSteps() + " (" + cause.reason() + ")"
                + cause.result().lastCheckpoint().map(p -> "; checkpoint " + p).orElse("")
                + "; continue with: " + resumeCommand);
        initCause(cause);
        this.resumeCommand = resumeCommand;
    }

    /** @return the command line that continues the run */
    public String resumeCommand() {
        return resumeCommand;
    }
}
