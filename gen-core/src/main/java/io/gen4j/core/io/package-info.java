/**
 * Persistence of runs: {@link io.gen4j.core.io.RunDirectory} (config, metrics, checkpoints,
 * images, report) and atomic, checksummed {@link io.gen4j.core.io.Checkpoint} files managed by a
 * {@link io.gen4j.core.io.CheckpointStore} that resumes a run exactly.
 */
package io.gen4j.core.io;
