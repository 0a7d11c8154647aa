/**
 * Persistence of runs: {@link io.gen4j.core.io.RunDirectory} (config, metrics, checkpoints,
 * images, report) and atomic, checksummed {@link io.gen4j.core.io.Checkpoint} files managed by a
 * {@link io.gen4j.core.io.CheckpointStore} that resumes a run exactly.
 *
 * <p>Array files, for users' own data and a model's outputs: {@link io.gen4j.core.io.Npy}, {@link
 * io.gen4j.core.io.Npz} and {@link io.gen4j.core.io.Csv} read and write {@link
 * io.gen4j.core.io.NumpyArray}s (NumPy's formats, engine-free), {@link io.gen4j.core.io.ArrayFiles}
 * picks the format by extension, {@link io.gen4j.core.io.NpyWriter} streams rows into a {@code
 * .npy}, and {@link io.gen4j.core.io.ArrayBatches} turns an array file into a seeded, seekable
 * {@link io.gen4j.core.data.BatchSource}.
 */
package io.gen4j.core.io;
