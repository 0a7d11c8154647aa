package io.gen4j.gans;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.ModelSpec;
import java.util.Objects;

/**
 * Everything that rebuilds a {@link GanModel}: both networks' architecture, the conditioning and
 * the data. Saved as the {@code spec} of {@code model.json} (family {@code gan}).
 *
 * @param architecture MLP or DCGAN (both networks)
 * @param latentDim d, the size of z, at least 1
 * @param width hidden units (MLP) or base channels (DCGAN), at least 1
 * @param depth hidden layers (MLP) or stride-2 stages (DCGAN), at least 1
 * @param spectralNorm whether every layer of the discriminator is spectrally normalised
 * @param conditioning how labels enter (both networks)
 * @param classes number of classes of a conditional GAN, 0 for an unconditional one
 * @param data vectors, or images in [−1, 1] (DCGAN: H and W divisible by 2^depth)
 */
public record GanSpec(Architecture architecture, int latentDim, int width, int depth, boolean spectralNorm,
        Conditioning conditioning, int classes, DataSpec data) implements ModelSpec {

    /** The family name in model.json. */
    public static final String FAMILY = "gan";

    /** The two built-in architectures. */
    public enum Architecture {
        /** {@link Generator#mlp} and {@link Discriminator#mlp}. */
        MLP,
        /** {@link Generator#dcgan} and {@link Discriminator#dcgan}. */
        DCGAN
    }

    /** Validates. */
    public GanSpec {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(conditioning, "conditioning");
        Objects.requireNonNull(data, "data");
        if (latentDim < 1 || width < 1 || depth < 1) {
            throw new IllegalArgumentException("latentDim, width and depth must be >= 1, got " + latentDim + ", "
                    + width + ", " + depth);
        }
        if ((conditioning == Conditioning.NONE) != (classes == 0) || classes < 0) {
            throw new IllegalArgumentException("classes must be 0 for an unconditional GAN and >= 1 for a "
                    + "conditional one, got " + classes + " with " + conditioning);
        }
        if (data.isImage() && data.pixels() != PixelRange.MINUS_ONE_ONE) {
            throw new IllegalArgumentException("GAN images are in [-1, 1] (tanh output), got " + data.pixels());
        }
        if (architecture == Architecture.DCGAN) {
            if (!data.isImage()) {
                throw new IllegalArgumentException("DCGAN needs image data, got " + data);
            }
            Discriminator.checkImage(data.shape(), depth);
        }
    }

    /**
     * @param latentDim d
     * @param width hidden units
     * @param depth hidden layers
     * @param dims the size of the vectors
     * @return an unconditional MLP GAN for vectors
     */
    public static GanSpec mlp(int latentDim, int width, int depth, int dims) {
        return new GanSpec(Architecture.MLP, latentDim, width, depth, false, Conditioning.NONE, 0,
                DataSpec.vector(dims));
    }

    /**
     * @param latentDim d
     * @param width base channels
     * @param depth stride-2 stages
     * @param channels C
     * @param height H
     * @param imageWidth W
     * @return an unconditional DCGAN for images in [−1, 1]
     */
    public static GanSpec dcgan(int latentDim, int width, int depth, int channels, int height, int imageWidth) {
        return new GanSpec(Architecture.DCGAN, latentDim, width, depth, false, Conditioning.NONE, 0,
                DataSpec.image(channels, height, imageWidth, PixelRange.MINUS_ONE_ONE));
    }

    /**
     * @param on whether D is spectrally normalised
     * @return this spec with that choice
     */
    public GanSpec withSpectralNorm(boolean on) {
        return new GanSpec(architecture, latentDim, width, depth, on, conditioning, classes, data);
    }

    /**
     * @param how the conditioning
     * @param numClasses K, at least 1 (0 with {@link Conditioning#NONE})
     * @return this spec, conditioned
     */
    public GanSpec withConditioning(Conditioning how, int numClasses) {
        return new GanSpec(architecture, latentDim, width, depth, spectralNorm, how, numClasses, data);
    }

    /**
     * @param newData the data the networks are for (e.g. 32×32 images instead of 28×28)
     * @return this spec for that data (validated again: a DCGAN needs H and W divisible by 2^depth)
     */
    public GanSpec withData(DataSpec newData) {
        return new GanSpec(architecture, latentDim, width, depth, spectralNorm, conditioning, classes, newData);
    }

    @Override
    public String family() {
        return FAMILY;
    }

    /** @return a new, uninitialised generator of this description */
    public Generator buildGenerator() {
        long[] shape = data.shape();
        return architecture == Architecture.MLP
                ? Generator.mlp(latentDim, width, depth, shape, conditioning, classes)
                : Generator.dcgan(latentDim, width, depth, shape, conditioning, classes);
    }

    /** @return a new, uninitialised discriminator of this description */
    public Discriminator buildDiscriminator() {
        long[] shape = data.shape();
        return architecture == Architecture.MLP
                ? Discriminator.mlp(shape, width, depth, spectralNorm, conditioning, classes)
                : Discriminator.dcgan(shape, width, depth, spectralNorm, conditioning, classes);
    }

    /**
     * Builds and initialises both networks (float32).
     *
     * @param manager the manager that owns the parameters
     * @return the networks
     */
    GanNetworks buildNetworks(NDManager manager) {
        Generator g = buildGenerator();
        Discriminator d = buildDiscriminator();
        boolean conditional = conditioning != Conditioning.NONE;
        Shape labels = new Shape(2);
        if (conditional) {
            g.initialize(manager, DataType.FLOAT32, new Shape(2, latentDim), labels);
        } else {
            g.initialize(manager, DataType.FLOAT32, new Shape(2, latentDim));
        }
        long[] one = data.shape();
        long[] batch = new long[one.length + 1];
        batch[0] = 2;
        System.arraycopy(one, 0, batch, 1, one.length);
        if (conditional) {
            d.initialize(manager, DataType.FLOAT32, new Shape(batch), labels);
        } else {
            d.initialize(manager, DataType.FLOAT32, new Shape(batch));
        }
        return new GanNetworks(g, d);
    }
}
