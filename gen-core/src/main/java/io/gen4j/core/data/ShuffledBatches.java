package io.gen4j.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;

/**
 * The seeded, epoch-reshuffling {@link BatchSource} of an {@link ImageDataset}: each batch is an
 * {@link NDList} of the images, float32 (B, C, H, W) in the chosen {@link PixelRange}, and the
 * labels, int32 (B).
 *
 * <p>The order comes from {@link BatchOrder} ({@code new Random(seed + epoch)} per epoch), so
 * {@code seek(p)} followed by {@code next()} gives exactly the {@code p}-th batch of a fresh stream.
 * Create it with {@link ImageDataset#batches(int, long, boolean, PixelRange)}.
 */
public final class ShuffledBatches implements BatchSource {

    private final ImageDataset dataset;
    private final BatchOrder order;
    private final PixelRange range;
    private long position;

    /**
     * Creates the source at position 0.
     *
     * @param dataset the images
     * @param order the batch order, sized for this dataset
     * @param range how pixels map to floats
     */
    public ShuffledBatches(ImageDataset dataset, BatchOrder order, PixelRange range) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        this.order = Objects.requireNonNull(order, "order");
        this.range = Objects.requireNonNull(range, "range");
        if (order.size() != dataset.size()) {
            throw new IllegalArgumentException(
                    "order is for " + order.size() + " examples but the dataset has "
                            + dataset.size());
        }
    }

    /** @return the dataset served */
    public ImageDataset dataset() {
        return dataset;
    }

    /** @return the batch order (batch size, seed, drop-last, batches per epoch) */
    public BatchOrder order() {
        return order;
    }

    /** @return the epoch of the next batch */
    public long epoch() {
        return order.epochOf(position);
    }

    /**
     * The indices of the next batch without advancing (what {@link #next(NDManager)} would serve).
     *
     * @return the example indices
     */
    public int[] peekIndices() {
        return order.indices(position);
    }

    @Override
    public NDList next(NDManager manager) {
        int[] indices = order.indices(position);
        position++;
        NDArray images = dataset.toNDArray(manager, indices, range);
        int[] labels = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            labels[k] = dataset.label(indices[k]);
        }
        NDArray labelArray = manager.create(labels, new Shape(labels.length));
        return new NDList(images, labelArray);
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public void seek(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("position must be >= 0, got " + position);
        }
        this.position = position;
    }
}
