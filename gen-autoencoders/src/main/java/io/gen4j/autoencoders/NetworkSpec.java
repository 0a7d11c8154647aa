package io.gen4j.autoencoders;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.gen4j.core.model.DataSpec;
import java.util.Arrays;
import java.util.List;

/**
 * A serialisable description of one of the encoder or decoder networks that {@link Networks}
 * builds: its kind and sizes, enough to build the same {@link Block} again. The model specs of this
 * module ({@link VaeSpec}, {@link ConditionalVaeSpec}, {@link VqVaeSpec}, {@link AutoencoderSpec})
 * hold one for the encoder and one for the decoder, and {@code model.json} holds them as
 * {@code {"kind": "MLP", "widths": [256]}}.
 *
 * <p>The output width of an encoder (2d for a VAE, the code size, the code dimension D) and the
 * output shape of a decoder (the data shape) are not part of the description: the model spec
 * supplies them ({@link #encoder(int)}, {@link #decoder(DataSpec)}), so an encoder cannot disagree
 * with the latent size it feeds.
 *
 * <pre>{@code
 * NetworkSpec.mlp(512, 256).encoder(2 * 16)        // Networks.mlpEncoder(32, 512, 256)
 * NetworkSpec.conv(16).decoder(data)               // Networks.convDecoder((1, 28, 28), 16)
 * }</pre>
 *
 * <p>Only these networks can be described. A model built from blocks of your own (any {@link
 * Block} passed to {@link Vae}, {@link Autoencoder}, …) trains and samples like any other, but the
 * built-in families cannot save it: register your own family (a spec record that describes your
 * networks, a model record and a {@link io.gen4j.core.model.ModelFamily} listed in {@code
 * META-INF/services/io.gen4j.core.model.ModelFamily}; see docs/model-format.md).
 *
 * @param kind which pair of {@link Networks} builders
 * @param widths the hidden widths of an {@link Kind#MLP} (possibly none), or the single channel
 *     count c of a convolutional kind; every entry &gt;= 1
 */
public record NetworkSpec(Kind kind, List<Integer> widths) {

    /** The networks of {@link Networks}. */
    public enum Kind {
        /**
         * Flatten → MLP (ReLU) → outputs ({@link Networks#mlpEncoder}); decoder MLP → reshape to
         * the data shape ({@link Networks#mlpDecoder}). Widths: the hidden layers.
         */
        MLP,
        /**
         * Two stride-2 convolutions → flatten → linear ({@link Networks#convEncoder}); decoder
         * linear → reshape → two upsampling convolutions ({@link Networks#convDecoder}). Widths: [c].
         * Images with H and W divisible by 4.
         */
        CONV,
        /**
         * Fully convolutional, to and from an (N, D, H/4, W/4) feature map ({@link
         * Networks#convFeatureEncoder}, {@link Networks#convFeatureDecoder}): the VQ-VAE's
         * networks. Widths: [c]. Images with H and W divisible by 4.
         */
        CONV_FEATURE
    }

    /** Validates and copies the widths. */
    public NetworkSpec {
        if (kind == null) {
            throw new IllegalArgumentException("kind must be one of " + Arrays.toString(Kind.values()) + ", got null");
        }
        if (widths == null) {
            throw new IllegalArgumentException("widths must not be null (an empty list for an MLP without hidden layers)");
        }
        widths = List.copyOf(widths);
        for (Integer w : widths) {
            if (w == null || w < 1) {
                throw new IllegalArgumentException("every width must be >= 1, got " + widths);
            }
        }
        if (kind != Kind.MLP && widths.size() != 1) {
            throw new IllegalArgumentException("a " + kind + " network has one width (its channels c), got " + widths);
        }
    }

    /**
     * @param hidden hidden widths, possibly none
     * @return an MLP encoder or decoder
     */
    public static NetworkSpec mlp(int... hidden) {
        return new NetworkSpec(Kind.MLP, Arrays.stream(hidden).boxed().toList());
    }

    /**
     * @param channels c, the first layer's channels
     * @return a convolutional encoder or decoder to or from a vector
     */
    public static NetworkSpec conv(int channels) {
        return new NetworkSpec(Kind.CONV, List.of(channels));
    }

    /**
     * @param channels c, the first layer's channels
     * @return a fully convolutional encoder or decoder to or from a feature map (VQ-VAE)
     */
    public static NetworkSpec convFeature(int channels) {
        return new NetworkSpec(Kind.CONV_FEATURE, List.of(channels));
    }

    /**
     * Builds the encoder.
     *
     * @param outputs the output width (or the feature map's channels D for {@link
     *     Kind#CONV_FEATURE})
     * @return a new, uninitialised block
     */
    public Block encoder(int outputs) {
        return switch (kind) {
            case MLP -> Networks.mlpEncoder(outputs, hidden());
            case CONV -> Networks.convEncoder(outputs, widths.get(0));
            case CONV_FEATURE -> Networks.convFeatureEncoder(outputs, widths.get(0));
        };
    }

    /**
     * Builds the decoder.
     *
     * @param data what it must output
     * @return a new, uninitialised block
     * @throws IllegalArgumentException when a convolutional decoder is asked for data it cannot
     *     output
     */
    public Block decoder(DataSpec data) {
        checkFits(data, "decoder");
        Shape shape = new Shape(data.shape());
        return switch (kind) {
            case MLP -> Networks.mlpDecoder(shape, hidden());
            case CONV -> Networks.convDecoder(shape, widths.get(0));
            case CONV_FEATURE -> Networks.convFeatureDecoder(Math.toIntExact(shape.get(0)), widths.get(0));
        };
    }

    /**
     * @param data the data the network reads or writes
     * @param role "encoder" or "decoder", for the message
     * @throws IllegalArgumentException when a convolutional network cannot handle that shape
     */
    void checkFits(DataSpec data, String role) {
        long[] s = data.shape();
        if (kind != Kind.MLP && (s.length != 3 || s[1] % 4 != 0 || s[2] % 4 != 0)) {
            throw new IllegalArgumentException("a " + kind + " " + role
                    + " needs (C, H, W) data with H and W divisible by 4, got " + Arrays.toString(s));
        }
    }

    /**
     * @param role "encoder" or "decoder", for the message
     * @param allowed the kinds the model accepts
     * @param why what the model needs, for the message
     * @throws IllegalArgumentException when this kind is not allowed
     */
    void requireKind(String role, List<Kind> allowed, String why) {
        if (!allowed.contains(kind)) {
            throw new IllegalArgumentException(role + " must be " + allowed + " (" + why + "), got " + kind);
        }
    }

    private int[] hidden() {
        return widths.stream().mapToInt(Integer::intValue).toArray();
    }
}
