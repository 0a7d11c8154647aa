package io.gen4j.eval;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.math.Scalars;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.gen4j.core.io.CorruptFileException;
import io.gen4j.core.runtime.Autocast;

/**
 * A trained {@link CnnClassifier} used as a {@link FeatureExtractor}: penultimate activations as
 * features, softmax of the logits as class probabilities.
 *
 * <p>File format ({@link #save}, version 2): the magic {@code GEN4JCNN}, the format version, the
 * {@link CnnClassifierConfig} fields, the block's parameters, then the 32-byte SHA-256 of everything
 * before it. {@link #load} refuses a file whose checksum does not match (one changed bit of a weight
 * would otherwise change every feature without an error). Files of version 1 (no checksum, written
 * before gen4j 0.1.0) still load, with a warning that they cannot be verified. The SHA-256 of the whole
 * file is the extractor's {@link ExtractorInfo#fileHash()}.
 */
public final class CnnFeatureExtractor implements FeatureExtractor {

    private static final String MAGIC = "GEN4JCNN";
    /** The version {@link #save} writes: with a SHA-256 trailer. */
    private static final int FORMAT = 2;
    /** The version without a checksum, still read. */
    private static final int FORMAT_UNCHECKED = 1;
    private static final int CHECKSUM_BYTES = 32;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CnnFeatureExtractor.class);

    private final CnnClassifier block;
    private final NDManager manager;
    private final ExtractorInfo info;

    private CnnFeatureExtractor(CnnClassifier block, NDManager manager, String hash) {
        this.block = block;
        this.manager = manager;
        CnnClassifierConfig c = block.config();
        String preprocessing = "x in [0,1] -> round(255x)/255, " + c.channels() + "x" + c.height() + "x" + c.width()
                + " input (no resize), normalised to [-1,1] inside the network";
        this.info = new ExtractorInfo(c.name(), hash, preprocessing, c.featureDim(), c.numClasses());
    }

    /**
     * Wraps a trained block; the block's parameters are hashed as they would be saved.
     *
     * @param block the trained classifier (its parameters live in {@code manager})
     * @param manager the manager owning the parameters; closed by {@link #close()}
     * @return the extractor
     */
    public static CnnFeatureExtractor of(CnnClassifier block, NDManager manager) {
        try {
            return new CnnFeatureExtractor(block, manager, Hashes.sha256(serialise(block)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise the classifier parameters", e);
        }
    }

    /**
     * Loads a classifier written by {@link #save}.
     *
     * @param file the weights file
     * @param parent manager under which the parameters are kept
     * @return the extractor
     * @throws IOException when the file is missing or not a classifier file
     */
    public static CnnFeatureExtractor load(Path file, NDManager parent) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null,
                    "no classifier file here; make one with 'eval train-classifier --out " + file + "'");
        }
        byte[] bytes = Files.readAllBytes(file);
        NDManager manager = parent.newSubManager();
        try {
            DataInputStream data = new DataInputStream(new ByteArrayInputStream(bytes));
            byte[] magic = new byte[MAGIC.length()];
            data.readFully(magic);
            if (!MAGIC.equals(new String(magic, java.nio.charset.StandardCharsets.US_ASCII))) {
                throw new CorruptFileException(file, "not a gen4j classifier file (it does not start with " + MAGIC
                        + "); make one with 'eval train-classifier'");
            }
            int format = data.readInt();
            if (format != FORMAT && format != FORMAT_UNCHECKED) {
                throw new CorruptFileException(file, "classifier file format " + format + ", expected " + FORMAT
                        + " (or " + FORMAT_UNCHECKED + ")");
            }
            int body = format == FORMAT ? bytes.length - CHECKSUM_BYTES : bytes.length;
            if (body < MAGIC.length() + 4) {
                throw new java.io.EOFException();
            }
            // the header and parameters are read from the bytes before the checksum
            data = new DataInputStream(new ByteArrayInputStream(bytes, 0, body));
            data.skipBytes(MAGIC.length() + 4);
            CnnClassifierConfig config = new CnnClassifierConfig(data.readUTF(), data.readInt(), data.readInt(),
                    data.readInt(), data.readInt(), data.readInt(), data.readInt(), data.readInt());
            // weights the header announces but the file cannot hold: a damaged header, not a huge network to allocate
            long weights = 9L * config.conv1() * config.channels() + 9L * config.conv2() * config.conv1()
                    + (long) config.featureDim() * config.numClasses();
            if (config.height() > 4096 || config.width() > 4096 || 4 * weights > bytes.length) {
                throw new CorruptFileException(file, "its header announces a " + config.channels() + "x"
                        + config.height() + "x" + config.width() + " network with " + weights
                        + "+ weights, more than the file holds; damaged");
            }
            CnnClassifier block = new CnnClassifier(config);
            block.initialize(manager, DataType.FLOAT32, block.inputShape());
            block.loadParameters(manager, data);
            if (data.read() >= 0) {
                throw new CorruptFileException(file, "has bytes after the classifier's parameters; damaged");
            }
            if (format == FORMAT) {
                byte[] expected = java.util.Arrays.copyOfRange(bytes, body, bytes.length);
                byte[] actual = digest(bytes, body);
                if (!java.security.MessageDigest.isEqual(expected, actual)) {
                    throw new CorruptFileException(file, "damaged: its SHA-256 does not match the checksum it ends "
                            + "with (a changed bit, or a copy cut short); train or copy it again");
                }
            } else {
                LOG.warn("{} is a classifier file of format {}, which has no checksum: it cannot be verified; "
                        + "train it again to get one", file, format);
            }
            for (var p : block.getParameters()) {
                NDArray w = p.getValue().getArray();
                if (!w.isInfinite().logicalOr(w.isNaN()).none().getBoolean()) {
                    throw new CorruptFileException(file, "parameter " + p.getKey() + " holds NaN or infinite values"
                            + " (a damaged file, or a training that diverged); train the classifier again");
                }
            }
            return new CnnFeatureExtractor(block, manager, Hashes.sha256(bytes));
        } catch (java.io.EOFException e) {
            manager.close();
            throw new CorruptFileException(file, "truncated: the file ends inside the classifier; train or copy it again",
                    e);
        } catch (MalformedModelException | RuntimeException e) {
            manager.close();
            throw new CorruptFileException(file, "not a readable classifier file: " + e.getMessage(), e);
        } catch (IOException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Writes the classifier atomically (temporary file, then rename), with its checksum.
     *
     * @param file target file
     * @throws IOException when writing fails
     */
    public void save(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        byte[] bytes = serialise(block);
        io.gen4j.core.io.AtomicFiles.write(file, out -> out.write(bytes));
    }

    /** The file's bytes: header, parameters, then the SHA-256 of both. */
    private static byte[] serialise(CnnClassifier block) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        CnnClassifierConfig c = block.config();
        out.write(MAGIC.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.writeInt(FORMAT);
        out.writeUTF(c.name());
        out.writeInt(c.channels());
        out.writeInt(c.height());
        out.writeInt(c.width());
        out.writeInt(c.numClasses());
        out.writeInt(c.conv1());
        out.writeInt(c.conv2());
        out.writeInt(c.featureDim());
        block.saveParameters(out);
        out.flush();
        byte[] body = bytes.toByteArray();
        out.write(digest(body, body.length));
        out.flush();
        return bytes.toByteArray();
    }

    private static byte[] digest(byte[] bytes, int length) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            md.update(bytes, 0, length);
            return md.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** @return the underlying block */
    public CnnClassifier block() {
        return block;
    }

    @Override
    public ExtractorInfo info() {
        return info;
    }

    @Override
    public NDArray features(NDArray images) {
        return forward(images, 1, false);
    }

    @Override
    public NDArray classProbabilities(NDArray images) {
        return forward(images, 0, true);
    }

    /**
     * @param images (N, C, H, W) in [0, 1]
     * @return (N, numClasses) logits, in the manager of the input
     */
    public NDArray logits(NDArray images) {
        return forward(images, 0, false);
    }

    private NDArray forward(NDArray images, int output, boolean softmax) {
        // features in float32 whatever the caller's Autocast (metrics compare across runs)
        try (NDManager scope = images.getManager().newSubManager(); Autocast.Scope float32 = Autocast.float32()) {
            NDArray copy = images.toType(DataType.FLOAT32, true);
            copy.attach(scope);
            NDArray out = forwardAll(copy).get(output);
            if (softmax) {
                out = out.softmax(1);
            }
            out.attach(images.getManager());
            return out;
        }
    }

    private NDList forwardAll(NDArray images) {
        CnnClassifierConfig c = block.config();
        Shape s = images.getShape();
        if (s.dimension() != 4 || s.get(1) != c.channels() || s.get(2) != c.height() || s.get(3) != c.width()) {
            throw new IllegalArgumentException("images must have shape (N, " + c.channels() + ", " + c.height()
                    + ", " + c.width() + ") for " + c.name() + ", got " + s);
        }
        NDArray x = Scalars.dividedByInPlace(Scalars.clip(Scalars.times(images.toType(DataType.FLOAT32, false), 255f).round(), 0f, 255f), 255f);
        return block.forward(new ParameterStore(images.getManager(), false), new NDList(x), false);
    }

    /**
     * Fraction of images whose most probable class is the intended one: the class accuracy of
     * class-conditional samples.
     *
     * @param probabilities (N × C) class probabilities or logits
     * @param labels intended classes, length N
     * @return accuracy in [0, 1]
     */
    public static double accuracy(Features probabilities, int[] labels) {
        if (labels.length != probabilities.count()) {
            throw new IllegalArgumentException("need one label per row: " + probabilities.count() + " rows, "
                    + labels.length + " labels");
        }
        int c = probabilities.dim();
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            int best = 0;
            for (int j = 1; j < c; j++) {
                if (probabilities.get(i, j) > probabilities.get(i, best)) {
                    best = j;
                }
            }
            if (best == labels[i]) {
                correct++;
            }
        }
        return (double) correct / labels.length;
    }

    @Override
    public void close() {
        manager.close();
    }
}
