package io.gen4j.examples.topics;

import io.gen4j.core.data.DatasetId;
import io.gen4j.core.data.DatasetResolver;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.Split;
import java.io.IOException;
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
 * @param id the dataset actually used
 * @param note one line for the console and the report: which data, and why when it is the stand-in
 */
public record TopicData(ImageDataset train, ImageDataset test, DatasetId id, String note) {

    private static final Logger LOG = LoggerFactory.getLogger(TopicData.class);

    /**
     * Loads {@code wanted} through the project's {@link DatasetResolver} (explicit path, environment,
     * user cache, system folders, then a DJL download unless {@code -Dai.djl.offline=true}); when it
     * cannot be had, loads {@code fallback} and says so in one logged line.
     *
     * @param wanted the dataset the topic is written for
     * @param fallback the stand-in
     * @param dataPath a folder tried before every other place
     * @return both splits and the note
     * @throws IOException when neither dataset can be found (the message lists every place tried)
     */
    public static TopicData load(DatasetId wanted, DatasetId fallback, Optional<Path> dataPath) throws IOException {
        boolean offline = Boolean.getBoolean("ai.djl.offline");
        DatasetResolver resolver = DatasetResolver.builder().optAllowDownload(!offline).build();
        Path explicit = dataPath.orElse(null);
        try {
            ImageDataset train = resolver.load(wanted, Split.TRAIN, explicit);
            ImageDataset test = resolver.load(wanted, Split.TEST, explicit);
            return new TopicData(train, test, wanted,
                    "Data: " + wanted + " (" + train.size() + " training, " + test.size() + " test images).");
        } catch (IOException | RuntimeException e) {
            LOG.debug("{} not available: {}", wanted, e.getMessage());
        }
        ImageDataset train = resolver.load(fallback, Split.TRAIN, explicit);
        ImageDataset test = resolver.load(fallback, Split.TEST, explicit);
        String note = wanted + " is not available " + (offline ? "offline" : "here (not found, and the download failed)")
                + ", so this run uses " + fallback + " instead (set " + wanted.environmentVariable()
                + " or --data to use " + wanted + ").";
        LOG.warn(note);
        return new TopicData(train, test, fallback, note);
    }

    /**
     * @param trainSize training images to keep (the first ones), 0 for all
     * @param testSize test images to keep, 0 for all
     * @return the data cut to those sizes
     */
    public TopicData subset(int trainSize, int testSize) {
        ImageDataset tr = trainSize > 0 && trainSize < train.size() ? train.subset(0, trainSize) : train;
        ImageDataset te = testSize > 0 && testSize < test.size() ? test.subset(0, testSize) : test;
        return new TopicData(tr, te, id, note);
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
