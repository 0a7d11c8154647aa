package io.gen4j.examples.topics;

import io.gen4j.core.data.ColorMode;
import io.gen4j.core.data.DatasetFormatException;
import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.ImagePreprocessing;
import io.gen4j.core.data.ImageSource;
import io.gen4j.core.data.TrainTest;
import io.gen4j.core.data.DatasetNotFoundException;
import io.gen4j.core.data.DatasetResolver;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.Split;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Stream;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The image data of a topic run: the dataset the topic asks for, or a stand-in when that one cannot
 * be had here, with one line saying which was used and why.
 *
 * @param train the training split
 * @param test the test split
 * @param id the dataset actually used, or {@code null} for an image folder ({@link #datasetName()})
 * @param note one line for the console and the report: which data, and why when it is the stand-in
 */
public record TopicData(ImageDataset train, ImageDataset test, DatasetId id, String note) {

    private static final Logger LOG = LoggerFactory.getLogger(TopicData.class);

    /**
     * Loads {@code wanted} through the project's {@link DatasetResolver} (explicit path, environment,
     * user cache, system folders, then a DJL download unless {@code -Dai.djl.offline=true}); when it
     * cannot be had, loads {@code fallback} and says so in one logged line. A {@code dataPath} that is
     * given must exist, must not be empty and must hold one of the two datasets, or be a folder of
     * PNG/JPEG images (then resized and centre-cropped to {@code wanted}'s size and channels, see the
     * five-argument {@code load}): then nothing is read from any other place. The note names the folder read, the split sizes and a SHA-256 of the
     * content (pixels and labels of both splits), so that a report says exactly which data it used.
     *
     * @param wanted the dataset the topic is written for
     * @param fallback the stand-in
     * @param dataPath a folder tried before every other place
     * @return both splits and the note
     * @throws IOException when neither dataset can be found (the message lists every place tried)
     * @throws IllegalArgumentException when {@code dataPath} is given but missing or empty
     */
    public static TopicData load(DatasetId wanted, DatasetId fallback, Optional<Path> dataPath) throws IOException {
        ColorMode mode = wanted.channels() == 1 ? ColorMode.GRAYSCALE : ColorMode.RGB;
        return load(wanted, fallback, dataPath, Optional.empty(),
                ImagePreprocessing.square(wanted.imageSize(), mode));
    }

    /**
     * Loads the data like {@link #load(DatasetId, DatasetId, Optional)}, where {@code dataPath} may
     * also be a folder of the user's own PNG/JPEG images (flat, or one sub-folder per class: labels
     * are the sub-folders in name order), read through gen-core's {@link ImageSource}. Such a folder
     * has no splits: a seeded tenth (seed 0, at least two images) is held out as the test split.
     *
     * @param wanted the dataset the topic is written for
     * @param fallback the stand-in
     * @param dataPath a dataset folder, IDX/CIFAR folder or image folder tried before every other
     *     place
     * @param preprocessing the user's preprocessing, applied to every image of both splits when
     *     read; empty: images as they are (those of a folder must then share one size)
     * @param folderDefault the preprocessing of an image folder when {@code preprocessing} is empty
     *     and the model needs a fixed shape, or {@code null} to take the shape from the data
     * @return both splits and the note (which names the preprocessing)
     * @throws IOException when the data cannot be found or a file does not decode (the message
     *     names it)
     */
    public static TopicData load(DatasetId wanted, DatasetId fallback, Optional<Path> dataPath,
            Optional<ImagePreprocessing> preprocessing, ImagePreprocessing folderDefault) throws IOException {
        if (dataPath.isPresent()) {
            checkDataPath(dataPath.get(), "--data");
            ImageSource source = ImageSource.parse(dataPath.get().toString(), Split.TRAIN);
            if (source.kind() == ImageSource.Kind.IMAGE_FOLDER) {
                return folder(source, preprocessing.isPresent() ? preprocessing.get() : folderDefault);
            }
        }
        TopicData d = loadNamed(wanted, fallback, dataPath);
        if (preprocessing.isEmpty()) {
            return d;
        }
        ImagePreprocessing p = preprocessing.get();
        try {
            return new TopicData(d.train().transform(p.load(), 0), d.test().transform(p.load(), 1), d.id(),
                    d.note() + " Preprocessing: " + p.describe() + ".");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--image-size/--crop/--channels: " + e.getMessage(), e);
        }
    }

    private static TopicData folder(ImageSource source, ImagePreprocessing preprocessing) throws IOException {
        ImagePreprocessing p = preprocessing == null ? ImagePreprocessing.defaults() : preprocessing;
        ImageDataset all = source.read(DatasetResolver.defaults(), p.load(), 0);
        if (all.size() < 3) {
            throw new DatasetFormatException(source.path(), "holds " + all.size() + " image(s); a run needs at least 3 "
                    + "(two are held out for the test split)");
        }
        TrainTest split = TrainTest.holdOut(all, (int) Math.max(2, Math.round(0.1 * all.size())), 0);
        String classes = all.numClasses() == 1 ? "one class (a flat folder)"
                : all.numClasses() + " classes from its sub-folders (" + String.join(", ", all.classNames()) + ")";
        String note = "Data: the image folder " + source.path() + ", " + all.size() + " images " + all.channels() + "x"
                + all.height() + "x" + all.width() + ", " + classes + "; preprocessing " + p.describe() + "; "
                + split.test().size() + " images held out as the test split (seed 0), " + split.train().size()
                + " for training (content sha256 " + contentHash(split.train(), split.test()).substring(0, 16) + ").";
        LOG.info(note);
        return new TopicData(split.train(), split.test(), null, note);
    }

    /**
     * @return the dataset's name for reports and classifier files: {@code fashion-mnist}, {@code
     *     mnist}, {@code cifar10}, or the image folder's name
     */
    public String datasetName() {
        return id != null ? id.directoryName() : train.name();
    }

    private static TopicData loadNamed(DatasetId wanted, DatasetId fallback, Optional<Path> dataPath)
            throws IOException {
        boolean offline = Boolean.getBoolean("ai.djl.offline");
        DatasetResolver resolver = DatasetResolver.builder().optAllowDownload(!offline).build();
        if (dataPath.isPresent()) {
            Path explicit = dataPath.get();
            checkDataPath(explicit, "--data");
            for (DatasetId id : new DatasetId[] {wanted, fallback}) {
                try {
                    DatasetResolver.Location train = resolver.locate(id, Split.TRAIN, explicit);
                    DatasetResolver.Location test = resolver.locate(id, Split.TEST, explicit);
                    if (train.source() == DatasetResolver.Source.EXPLICIT
                            && test.source() == DatasetResolver.Source.EXPLICIT) {
                        TopicData d = of(id, DatasetResolver.read(train), DatasetResolver.read(test), explicit.toString());
                        if (id == wanted) {
                            return d;
                        }
                        String note = "--data " + explicit + " holds " + id + ", not " + wanted + ", so this run uses "
                                + id + ". " + d.note();
                        LOG.warn(note);
                        return new TopicData(d.train(), d.test(), id, note);
                    }
                } catch (DatasetNotFoundException e) {
                    LOG.debug("{} not in {}: {}", id, explicit, e.getMessage());
                }
            }
            throw new DatasetNotFoundException("--data " + explicit + " holds neither " + wanted + " nor " + fallback
                    + " (both splits: IDX files like train-images-idx3-ubyte[.gz] and t10k-*, or cifar-10-batches-bin);"
                    + " '" + io.gen4j.examples.cli.Launcher.command("doctor") + "' lists the datasets it finds",
                    java.util.List.of());
        }
        try {
            return loadOne(resolver, wanted);
        } catch (IOException | RuntimeException e) {
            LOG.debug("{} not available: {}", wanted, e.getMessage());
        }
        TopicData d = loadOne(resolver, fallback);
        String note = wanted + " is not available " + (offline ? "offline" : "here (not found, and the download failed)")
                + ", so this run uses " + fallback + " instead (set " + wanted.environmentVariable()
                + " or --data to use " + wanted + "). " + d.note();
        LOG.warn(note);
        return new TopicData(d.train(), d.test(), fallback, note);
    }

    private static TopicData loadOne(DatasetResolver resolver, DatasetId id) throws IOException {
        DatasetResolver.Location train;
        DatasetResolver.Location test;
        try {
            train = resolver.locate(id, Split.TRAIN, null);
            test = resolver.locate(id, Split.TEST, null);
        } catch (DatasetNotFoundException e) {
            // not here: the resolver downloads it, when allowed, or says what it tried
            return of(id, resolver.load(id, Split.TRAIN, null), resolver.load(id, Split.TEST, null), "DJL's download cache");
        }
        return of(id, DatasetResolver.read(train), DatasetResolver.read(test), train.directory().toString());
    }

    private static TopicData of(DatasetId id, ImageDataset train, ImageDataset test, String where) {
        return new TopicData(train, test, id, "Data: " + id + " from " + where + " (" + train.size() + " training, "
                + test.size() + " test images; content sha256 " + contentHash(train, test).substring(0, 16) + ").");
    }

    /**
     * Checks a dataset folder the user gave: it must exist and hold something.
     *
     * @param path the folder
     * @param option how the user gave it, e.g. {@code --data}
     * @throws IllegalArgumentException naming the option and the folder when it is missing or empty
     */
    public static void checkDataPath(Path path, String option) {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(option + " " + path + ": no such directory");
        }
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException(option + " " + path + ": not a directory (give the folder that holds "
                    + "the dataset's files)");
        }
        try (Stream<Path> s = Files.list(path)) {
            if (s.findAny().isEmpty()) {
                throw new IllegalArgumentException(option + " " + path + ": the directory is empty");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + path + ": cannot list it (" + e.getMessage() + ")");
        }
    }

    /**
     * @param train the training split
     * @param test the test split
     * @return the SHA-256 (hex) of both splits' shapes, pixels and labels
     */
    public static String contentHash(ImageDataset train, ImageDataset test) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (ImageDataset d : new ImageDataset[] {train, test}) {
                sha.update(ByteBuffer.allocate(16).putInt(d.size()).putInt(d.channels()).putInt(d.height())
                        .putInt(d.width()).array());
                sha.update(d.pixelBytes());
                ByteBuffer labels = ByteBuffer.allocate(4 * d.labels().length);
                for (int l : d.labels()) {
                    labels.putInt(l);
                }
                sha.update(labels.array());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * @param trainSize training images to keep (the first ones), 0 for all
     * @param testSize test images to keep, 0 for all
     * @return the data cut to those sizes
     */
    public TopicData subset(int trainSize, int testSize) {
        ImageDataset tr = trainSize > 0 && trainSize < train.size() ? train.subset(0, trainSize) : train;
        ImageDataset te = testSize > 0 && testSize < test.size() ? test.subset(0, testSize) : test;
        if (tr == train && te == test) {
            return this;
        }
        return new TopicData(tr, te, id, note + " This run uses the first " + tr.size() + " training and "
                + te.size() + " test images.");
    }

    /**
     * @param size pad smaller images with zeros, centred, to {@code size x size}; 0 does nothing
     * @return the padded data
     */
    public TopicData padTo(int size) {
        if (size <= 0 || (train.height() >= size && train.width() >= size)) {
            return this;
        }
        return new TopicData(train.padTo(size, size, 0), test.padTo(size, size, 0), id,
                note + " Images padded to " + size + "x" + size + ".");
    }
}
