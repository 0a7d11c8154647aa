package io.gen4j.core.data.audio;

import io.gen4j.core.data.BatchOrder;
import io.gen4j.core.data.TensorBatches;
import java.util.List;

/**
 * Turns a list of synthetic clips of equal length into a {@link TensorBatches} of shape (B, 1, L),
 * the input layout of 1-D convolutional models such as WaveNet.
 */
public final class AudioClips {

    private AudioClips() {}

    /**
     * Renders the clips into one (N, 1, L) float array.
     *
     * @param clips clips of equal sample count
     * @return N * L floats
     */
    public static float[] render(List<? extends SyntheticAudio> clips) {
        if (clips.isEmpty()) {
            throw new IllegalArgumentException("clips must not be empty");
        }
        int length = clips.get(0).sampleCount();
        float[] out = new float[clips.size() * length];
        for (int i = 0; i < clips.size(); i++) {
            float[] x = clips.get(i).render();
            if (x.length != length) {
                throw new IllegalArgumentException(
                        "clip " + i + " has " + x.length + " samples, expected " + length);
            }
            System.arraycopy(x, 0, out, i * length, length);
        }
        return out;
    }

    /**
     * A seeded, shuffled batch source over rendered clips.
     *
     * @param clips clips of equal sample count
     * @param batchSize clips per batch
     * @param seed the shuffling seed
     * @param dropLast whether the last, smaller batch of each epoch is skipped
     * @return batches of shape (B, 1, L)
     */
    public static TensorBatches batches(
            List<? extends SyntheticAudio> clips, int batchSize, long seed, boolean dropLast) {
        float[] data = render(clips);
        int length = data.length / clips.size();
        return new TensorBatches(
                data,
                new long[] {1, length},
                null,
                new BatchOrder(clips.size(), batchSize, seed, dropLast));
    }
}
