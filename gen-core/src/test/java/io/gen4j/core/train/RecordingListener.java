package io.gen4j.core.train;

import io.gen4j.core.runtime.StopSignal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link FitListener} for {@link Fit}'s tests: records the steps, losses, checkpoints, the end and the stop;
 * with {@code stopAt} ≥ 0 it requests a stop ({@link StopSignal}) when that step ends.
 */
final class RecordingListener implements FitListener {

    final long stopAt;
    final List<Long> steps = new ArrayList<>();
    final List<Double> losses = new ArrayList<>();
    final List<Long> checkpoints = new ArrayList<>();
    FitResult finished;
    FitResult stopped;

    /** Records without asking for a stop. */
    RecordingListener() {
        this(-1);
    }

    /** @param stopAt the step at whose end a stop is requested, or −1 */
    RecordingListener(long stopAt) {
        this.stopAt = stopAt;
    }

    @Override
    public void onStepEnd(StepEnd e) {
        steps.add(e.step());
        losses.add(e.metrics().get("loss"));
        if (e.step() == stopAt) {
            StopSignal.request("test at step " + stopAt);
        }
    }

    @Override
    public void onCheckpoint(long completedSteps, Path file) {
        checkpoints.add(completedSteps);
    }

    @Override
    public void onFinish(FitResult r) {
        finished = r;
    }

    @Override
    public void onStop(FitResult r) {
        stopped = r;
    }
}
