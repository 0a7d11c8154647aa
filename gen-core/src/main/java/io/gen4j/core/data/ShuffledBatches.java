package io.gen4j.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.transform.ByteImage;
import io.gen4j.core.data.transform.Compose;
import io.gen4j.core.data.transform.ImageTransform;
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
    private final ImageTransform augmentation;
    private long position;

    /**
     * Creates the source at position 0.
     *
     * @param dataset the images
     * @param order the batch order, sized for this dataset
     * @param range how pixels map to floats
     */
    public ShuffledBatches(ImageDataset dataset, BatchOrder order, PixelRange range) {
        this(dataset, order, range, null);
    }

    private ShuffledBatches(ImageDataset dataset, BatchOrder order, PixelRange range, ImageTransform augmentation) {
        this.augmentation = augmentation;
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        this.order = Objects.requireNonNull(order, "order");
        this.range = Objects.requireNonNull(range, "range");
        if (order.size() != dataset.size()) {
            throw new IllegalArgumentException(
                    "order is for " + order.size() + " examples but the dataset has "
                            + dataset.size());
        }
    }

    /**
     * The same stream with a random augmentation (a {@link io.gen4j.core.data.transform.HorizontalFlip},
     * a padded {@link io.gen4j.core.data.transform.RandomCrop}) applied to every image of every batch,
     * drawn afresh at every position like torchvision's transforms in a {@code DataLoader}. The
     * image at slot {@code k} of the batch at position {@code p} draws from {@code new
     * ImageTransform.randomFor(seed, p, k)}, so batches stay a pure function of the position and seeking is
     * still exact. The augmentation must keep the dataset's image shape.
     *
     * @param augmentation the per-batch transform (the identity serves the images as they are)
     * @return the augmented stream, at this stream's position
     */
    public ShuffledBatches withAugmentation(ImageTransform augmentation) {
        java.util.Objects.requireNonNull(augmentation, "augmentation");
        boolean identity = augmentation instanceof Compose c && c.isIdentity();
        ShuffledBatches s = new ShuffledBatches(dataset, order, range, identity ? null : augmentation);
        s.position = position;
        return s;
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
        NDArray images = augmentation == null ? dataset.toNDArray(manager, indices, range)
                : augmented(manager, indices, position - 1);
        int[] labels = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            labels[k] = dataset.label(indices[k]);
        }
        NDArray labelArray = manager.create(labels, new Shape(labels.length));
        return new NDList(images, labelArray);
    }

    private NDArray augmented(NDManager manager, int[] indices, long at) {
        int n = dataset.imageSize();
        float[] buf = new float[indices.length * n];
        for (int k = 0; k < indices.length; k++) {
            ByteImage in = dataset.image(indices[k]);
            ByteImage out = augmentation.apply(in, ImageTransform.randomFor(order.seed(), at, k));
            if (out.channels() != in.channels() || out.height() != in.height() || out.width() != in.width()) {
                throw new IllegalStateException("augmentation " + augmentation.describe() + " changed the image shape "
                        + in.shapeText() + " to " + out.shapeText() + "; a per-batch augmentation must keep it");
            }
            byte[] px = out.pixels();
            for (int j = 0; j < n; j++) {
                buf[k * n + j] = range.tableValue(px[j]);
            }
        }
        return manager.create(buf, new Shape(indices.length, dataset.channels(), dataset.height(), dataset.width()));
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
