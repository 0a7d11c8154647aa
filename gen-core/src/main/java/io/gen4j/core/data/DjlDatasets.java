package io.gen4j.core.data;

import ai.djl.basicdataset.cv.classification.Cifar10;
import ai.djl.basicdataset.cv.classification.FashionMnist;
import ai.djl.basicdataset.cv.classification.Mnist;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.Repository;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads MNIST, Fashion-MNIST and CIFAR-10 through DJL's basicdataset ({@link Mnist}, {@link
 * FashionMnist}, {@link Cifar10}) into an {@link ImageDataset}: the online path, used by {@link
 * DatasetResolver} when download is allowed.
 *
 * <p>DJL holds the images as float N x H x W x C arrays of values in [0, 255]; they are read back in
 * blocks of 1000, checked to be whole numbers in [0, 255] and transposed to C x H x W bytes. A
 * {@link Repository} can be passed to read from a local mirror instead of the network (see
 * KNOWN_ISSUES §4 for the metadata layout).
 */
public final class DjlDatasets {

    private static final Logger LOGGER = LoggerFactory.getLogger(DjlDatasets.class);
    private static final int BLOCK = 1000;

    private DjlDatasets() {}

    /**
     * Loads a split through DJL (downloading into DJL's cache unless {@code repository} is local).
     *
     * @param id the dataset
     * @param split the split
     * @param repository the repository to read from, or {@code null} for DJL's default
     * @return the dataset
     * @throws IOException when DJL cannot prepare the dataset or it holds unexpected values
     */
    public static ImageDataset load(DatasetId id, Split split, Repository repository)
            throws IOException {
        Dataset.Usage usage = split == Split.TRAIN ? Dataset.Usage.TRAIN : Dataset.Usage.TEST;
        try (NDManager manager = NDManager.newBaseManager()) {
            ArrayDataset dataset = build(id, usage, repository, manager);
            dataset.prepare(null);
            int n = Math.toIntExact(dataset.size());
            int side = id.imageSize();
            int channels = id.channels();
            int imageBytes = channels * side * side;
            byte[] pixels = new byte[n * imageBytes];
            int[] labels = new int[n];
            int k = 0;
            for (Batch batch : dataset.getData(manager)) {
                try (batch) {
                    NDArray x = batch.getData().head();
                    NDArray y = batch.getLabels().head();
                    int b = Math.toIntExact(x.getShape().get(0));
                    Shape expected = new Shape(b, side, side, channels);
                    if (!x.getShape().equals(expected)) {
                        throw new IOException(
                                "DJL " + id + " batch has shape " + x.getShape() + ", expected "
                                        + expected);
                    }
                    float[] values = x.toType(DataType.FLOAT32, false).toFloatArray();
                    float[] ys = y.toType(DataType.FLOAT32, false).toFloatArray();
                    if (ys.length != b) {
                        throw new IOException("DJL " + id + " labels have shape " + y.getShape());
                    }
                    for (int i = 0; i < b; i++, k++) {
                        labels[k] = toLabel(id, ys[i], k);
                        int src = i * imageBytes;
                        int dst = k * imageBytes;
                        for (int h = 0; h < side; h++) {
                            for (int w = 0; w < side; w++) {
                                for (int c = 0; c < channels; c++) {
                                    float v = values[src + (h * side + w) * channels + c];
                                    pixels[dst + (c * side + h) * side + w] = toPixel(id, v, k);
                                }
                            }
                        }
                    }
                }
            }
            if (k != n) {
                throw new IOException("DJL " + id + " served " + k + " images, expected " + n);
            }
            LOGGER.info("loaded {} {} through DJL basicdataset: {} images", id, split, n);
            return new ImageDataset(
                    id.directoryName() + "/" + split.name().toLowerCase(Locale.ROOT),
                    channels,
                    side,
                    side,
                    pixels,
                    labels,
                    id.classNames());
        } catch (TranslateException e) {
            throw new IOException("DJL could not batch " + id + ": " + e.getMessage(), e);
        }
    }

    private static ArrayDataset build(
            DatasetId id, Dataset.Usage usage, Repository repository, NDManager manager) {
        switch (id) {
            case MNIST -> {
                Mnist.Builder b = Mnist.builder().optUsage(usage).optManager(manager);
                if (repository != null) {
                    b.optRepository(repository);
                }
                return b.setSampling(BLOCK, false).build();
            }
            case FASHION_MNIST -> {
                FashionMnist.Builder b = FashionMnist.builder().optUsage(usage).optManager(manager);
                if (repository != null) {
                    b.optRepository(repository);
                }
                return b.setSampling(BLOCK, false).build();
            }
            case CIFAR10 -> {
                Cifar10.Builder b = Cifar10.builder().optUsage(usage).optManager(manager);
                if (repository != null) {
                    b.optRepository(repository);
                }
                return b.setSampling(BLOCK, false).build();
            }
            default -> throw new IllegalArgumentException("unknown dataset " + id);
        }
    }

    private static int toLabel(DatasetId id, float y, int index) throws IOException {
        int label = Math.round(y);
        if (label != y || label < 0 || label >= id.classNames().size()) {
            throw new IOException(
                    "DJL " + id + " label of example " + index + " is " + y + ", expected an"
                            + " integer in [0, " + id.classNames().size() + ")");
        }
        return label;
    }

    private static byte toPixel(DatasetId id, float v, int index) throws IOException {
        int p = Math.round(v);
        if (p != v || p < 0 || p > 255) {
            throw new IOException(
                    "DJL " + id + " pixel of example " + index + " is " + v
                            + ", expected an integer in [0, 255]");
        }
        return (byte) p;
    }
}
