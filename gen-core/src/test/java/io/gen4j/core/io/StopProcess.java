package io.gen4j.core.io;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.gen4j.core.runtime.StopSignal;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.FitListener;
import io.gen4j.core.train.StepEnd;
import io.gen4j.core.train.TrainTestSupport;
import io.gen4j.core.train.TrainingStoppedException;
import java.nio.file.Path;

/**
 * A child process for {@link SignalStopTest}, with {@link StopSignal}'s shutdown hook installed: {@code train DIR}
 * trains a small network for a million steps with checkpoints into DIR only every million steps, printing
 * {@code step N} after every step; {@code busy} loops without a safe point; {@code prompt} waits as for the user's
 * answer ({@link StopSignal#waitingForInput}).
 */
public final class StopProcess {

    private StopProcess() {}

    /**
     * @param args {@code train <checkpoint directory>}, {@code busy} or {@code prompt}
     * @throws Exception when training fails
     */
    public static void main(String[] args) throws Exception {
        try (StopSignal.Hook hook = StopSignal.installShutdownHook(StopSignal.gracePeriod(), System.err)) {
            if (args[0].equals("prompt")) {
                StopSignal.waitingForInput(() -> {
                    System.out.println("waiting");
                    System.out.flush();
                    while (true) {
                        try {
                            Thread.sleep(5);
                        } catch (InterruptedException e) {
                            return null;
                        }
                    }
                });
            }
            if (args[0].equals("busy")) {
                System.out.println("busy");
                System.out.flush();
                while (true) {
                    Thread.sleep(5);
                }
            }
            try (NDManager m = NDManager.newBaseManager()) {
                Block net = TrainTestSupport.mlp(m, 4, 16, 2, 1);
                TrainTestSupport.RegressionStep step = new TrainTestSupport.RegressionStep(net, 0.01);
                TrainTestSupport.RegressionSource source = new TrainTestSupport.RegressionSource(3, 16, 4, 2);
                CheckpointStore store = new CheckpointStore(Path.of(args[1]), 2, step.state(), source, 7, "{}");
                FitListener print = new FitListener() {
                    @Override
                    public void onStepEnd(StepEnd e) {
                        System.out.println("step " + e.step());
                        System.out.flush();
                    }
                };
                Fit.builder().setStep(step).setSource(source).setManager(m).optTotalSteps(1_000_000).optSeed(7)
                        .optCheckpointEvery(1_000_000, store).addListener(print).build().run();
            } catch (TrainingStoppedException e) {
                System.out.println("stopped " + e.result().endStep());
                System.out.flush();
            }
        }
    }
}
