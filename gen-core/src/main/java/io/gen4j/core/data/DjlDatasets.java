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
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads MNIST, Fashion-MNIST and CIFAR-10 through DJL's basicdataset ({@link Mnist}, {@link
 * FashionMnist}, {@link Cifar10}) into an {@link ImageDataset}: the online path, used by {@link
 * DatasetResolver} when download is allowed.
 *
 * <p>DJL holds the images as float arrays, N x H x W x C of values in [0, 255] for MNIST and
 * CIFAR-10, N x C x H x W of values in [0, 1] (already divided by 255) for Fashion-MNIST; the
 * layout is recognised from the shape and the scale from the first block of 1000 images, and every
 * value is checked to be a whole pixel value before it is stored as a C x H x W byte. A
 * {@link Repository} can be passed to read from a local mirror instead of the network (see
 * docs/known-issues.md §4 for the metadata layout).
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
            float scale = 0;
            for (Batch batch : dataset.getData(manager)) {
                try (batch) {
                    NDArray x = batch.getData().head();
                    NDArray y = batch.getLabels().head();
                    int b = Math.toIntExact(x.getShape().get(0));
                    Shape hwc = new Shape(b, side, side, channels);
                    Shape chw = new Shape(b, channels, side, side);
                    boolean channelsLast = x.getShape().equals(hwc);
                    if (!channelsLast && !x.getShape().equals(chw)) {
                        throw new IOException(
                                "DJL " + id + " batch has shape " + x.getShape() + ", expected "
                                        + hwc + " or " + chw);
                    }
                    float[] values = x.toType(DataType.FLOAT32, false).toFloatArray();
                    if (scale == 0) {
                        // raw [0, 255] or ToTensor-scaled [0, 1]: decided once, on the first block
                        float max = 0;
                        for (float v : values) {
                            max = Math.max(max, v);
                        }
                        scale = max <= 1f ? 255f : 1f;
                    }
                    float[] ys = y.toType(DataType.FLOAT32, false).toFloatArray();
                    if (ys.length != b) {
                        throw new IOException("DJL " + id + " labels have shape " + y.getShape());
                    }
                    for (int i = 0; i < b; i++, k++) {
                        labels[k] = toLabel(id, ys[i], k);
                        int src = i * imageBytes;
                        int dst = k * imageBytes;
                        for (int c = 0; c < channels; c++) {
                            for (int h = 0; h < side; h++) {
                                for (int w = 0; w < side; w++) {
                                    int from = channelsLast
                                            ? src + (h * side + w) * channels + c
                                            : src + (c * side + h) * side + w;
                                    pixels[dst + (c * side + h) * side + w] =
                                            toPixel(id, values[from] * scale, k);
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

    /**
     * Writes a local DJL repository that serves IDX files already on disk to DJL's {@link Mnist}
     * or {@link FashionMnist} builders (docs/known-issues.md §4): {@code
     * root/dataset/cv/ai/djl/basicdataset/<artifact>/metadata.json} lists the four files with
     * absolute {@code file:} URIs. DJL still copies (and un-gzips) them into its cache directory on
     * {@code prepare}.
     *
     * @param root the repository root to create
     * @param id {@link DatasetId#MNIST} or {@link DatasetId#FASHION_MNIST}
     * @param trainImages the training image file (gzip)
     * @param trainLabels the training label file (gzip)
     * @param testImages the test image file (gzip)
     * @param testLabels the test label file (gzip)
     * @return the repository, for {@link #load(DatasetId, Split, Repository)}
     * @throws IOException when the metadata cannot be written
     */
    public static Repository localRepository(
            Path root,
            DatasetId id,
            Path trainImages,
            Path trainLabels,
            Path testImages,
            Path testLabels)
            throws IOException {
        String artifact = switch (id) {
            case MNIST -> "mnist";
            case FASHION_MNIST -> "fashmnist";
            case CIFAR10 -> throw new IllegalArgumentException(
                    "a local DJL repository is supported for MNIST and FASHION_MNIST, got " + id
                            + " (read CIFAR-10 with Cifar10Reader instead)");
        };
        Map<String, Object> files = new LinkedHashMap<>();
        files.put("train_data", item(trainImages));
        files.put("train_labels", item(trainLabels));
        files.put("test_data", item(testImages));
        files.put("test_labels", item(testLabels));
        Map<String, Object> version = new LinkedHashMap<>();
        version.put("version", "1.0");
        version.put("snapshot", false);
        version.put("name", artifact);
        version.put("files", files);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("metadataVersion", "0.2");
        metadata.put("resourceType", "dataset");
        metadata.put("application", "cv");
        metadata.put("groupId", "ai.djl.basicdataset");
        metadata.put("artifactId", artifact);
        metadata.put("name", artifact);
        metadata.put("artifacts", List.of(version));
        Path dir = root.resolve("dataset/cv/ai/djl/basicdataset").resolve(artifact);
        Files.createDirectories(dir);
        new ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValue(dir.resolve("metadata.json").toFile(), metadata);
        return Repository.newInstance("gen4j-local-" + artifact, root);
    }

    private static Map<String, Object> item(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("not a file: " + file);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uri", file.toAbsolutePath().toUri().toString());
        m.put("extension", "gzip");
        return m;
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
        if (Math.abs(p - v) > 1e-3 || p < 0 || p > 255) {
            throw new IOException(
                    "DJL " + id + " pixel of example " + index + " is " + v
                            + ", expected an integer in [0, 255]");
        }
        return (byte) p;
    }
}
