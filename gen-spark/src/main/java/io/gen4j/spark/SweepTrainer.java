package io.gen4j.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;

/**
 * Trains one point of a sweep in a run directory, on an executor.
 *
 * <p>Contract: the trainer writes its checkpoints into {@code runDir} (gen-core's {@code CheckpointStore},
 * e.g. under {@code runDir/checkpoints}) and resumes from the newest one when it finds one ({@code
 * Fit.builder().optResume(true)}). Spark runs a failed task again; the retried attempt gets the same
 * run directory and so continues where the dead one last saved, and with {@code Fit}'s per-step seeds
 * ends with the same weights as a run that never failed.
 */
@FunctionalInterface
public interface SweepTrainer extends Serializable {

    /**
     * @param point the parameters of this run, by name
     * @param runDir the run's own directory (exists; the same on every attempt)
     * @return the run's final metrics, by name (a row of the sweep's table)
     * @throws Exception when training fails; Spark retries the task up to {@code spark.task.maxFailures}
     */
    Map<String, Double> train(Map<String, Double> point, Path runDir) throws Exception;
}
