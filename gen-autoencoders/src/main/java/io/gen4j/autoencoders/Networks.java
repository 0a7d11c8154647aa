package io.gen4j.autoencoders;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.gen4j.core.nn.Activation;
import io.gen4j.core.nn.Conv2d;
import io.gen4j.core.nn.FanInUniform;
import io.gen4j.core.nn.Mlp;
import io.gen4j.core.nn.NearestUpsampledConv2d;

/**
 * Encoder and decoder networks for (C, H, W) images or flat vectors, ready to plug into {@link
 * Autoencoder}, {@link Vae}, {@link ConditionalVae} and {@link VqVae}.
 *
 * <p>All convolutions are gen-core's guarded ones. The convolutional encoders halve H and W twice
 * (4x4 kernels, stride 2, padding 1, as in DCGAN), so H and W must be divisible by 4; the decoders
 * mirror them with nearest-neighbour upsampling followed by a 3x3 convolution, which avoids the
 * checkerboard artefacts of transposed convolutions (Odena, Dumoulin &amp; Olah 2016). Decoders
 * output unbounded values (logits or means): the loss decides how to read them.
 */
public final class Networks {

    private Networks() {}

    /**
     * Flatten → MLP (ReLU) → {@code outputs} units.
     *
     * @param outputs output width (the code size, or 2·latent for a Gaussian encoder)
     * @param hidden hidden widths
     * @return the encoder
     */
    public static Block mlpEncoder(int outputs, int... hidden) {
        return new SequentialBlock()
                .add(Blocks.batchFlattenBlock())
                .add(Mlp.builder().setHidden(hidden).setOutput(outputs).build());
    }

    /**
     * MLP (ReLU) → reshape to the data shape.
     *
     * @param dataShape shape of one example, e.g. (1, 28, 28)
     * @param hidden hidden widths
     * @return the decoder, input (N, d) output (N, dataShape...)
     */
    public static Block mlpDecoder(Shape dataShape, int... hidden) {
        return new SequentialBlock()
                .add(Mlp.builder().setHidden(hidden).setOutput(Math.toIntExact(dataShape.size())).build())
                .add(new Reshape(dataShape));
    }

    /**
     * Conv(c, 4, s2) → ReLU → Conv(2c, 4, s2) → ReLU → flatten → Linear(outputs).
     *
     * @param outputs output width
     * @param channels c, the first layer's channels (a multiple of 16 keeps the conv guard cheap)
     * @return the encoder, input (N, C, H, W) with H, W divisible by 4
     */
    public static Block convEncoder(int outputs, int channels) {
        return new SequentialBlock()
                .add(conv(channels, 4, 2, 1))
                .addSingleton(Activation.RELU::apply)
                .add(conv(2 * channels, 4, 2, 1))
                .addSingleton(Activation.RELU::apply)
                .add(Blocks.batchFlattenBlock())
                .add(linear(outputs));
    }

    /**
     * Linear → ReLU → reshape (2c, H/4, W/4) → Up(c) → ReLU → Up(C), where Up(k) is nearest ×2
     * upsampling then a 3x3 convolution to k channels.
     *
     * @param dataShape (C, H, W) with H, W divisible by 4
     * @param channels c
     * @return the decoder, input (N, d)
     */
    public static Block convDecoder(Shape dataShape, int channels) {
        checkImage(dataShape);
        long h = dataShape.get(1) / 4;
        long w = dataShape.get(2) / 4;
        return new SequentialBlock()
                .add(linear(Math.toIntExact(2L * channels * h * w)))
                .addSingleton(Activation.RELU::apply)
                .add(new Reshape(new Shape(2L * channels, h, w)))
                .add(up(channels))
                .addSingleton(Activation.RELU::apply)
                .add(up(Math.toIntExact(dataShape.get(0))));
    }

    /**
     * A fully convolutional encoder to a spatial feature map, for the VQ-VAE: Conv(c, 4, s2) → ReLU
     * → Conv(2c, 4, s2) → ReLU → Conv(D, 1).
     *
     * @param codeDim D, channels of the output map
     * @param channels c
     * @return the encoder, (N, C, H, W) to (N, D, H/4, W/4)
     */
    public static Block convFeatureEncoder(int codeDim, int channels) {
        return new SequentialBlock()
                .add(conv(channels, 4, 2, 1))
                .addSingleton(Activation.RELU::apply)
                .add(conv(2 * channels, 4, 2, 1))
                .addSingleton(Activation.RELU::apply)
                .add(conv(codeDim, 1, 1, 0));
    }

    /**
     * The mirror of {@link #convFeatureEncoder}: Conv(2c, 3) → ReLU → Up(c) → ReLU → Up(C), where
     * Up(k) is nearest ×2 upsampling then a 3x3 convolution to k channels.
     *
     * @param dataChannels C
     * @param channels c
     * @return the decoder, (N, D, h, w) to (N, C, 4h, 4w)
     */
    public static Block convFeatureDecoder(int dataChannels, int channels) {
        return new SequentialBlock()
                .add(conv(2 * channels, 3, 1, 1))
                .addSingleton(Activation.RELU::apply)
                .add(up(channels))
                .addSingleton(Activation.RELU::apply)
                .add(up(dataChannels));
    }

    private static void checkImage(Shape dataShape) {
        if (dataShape.dimension() != 3 || dataShape.get(1) % 4 != 0 || dataShape.get(2) % 4 != 0) {
            throw new IllegalArgumentException(
                    "convolutional decoders need (C, H, W) with H and W divisible by 4, got " + dataShape);
        }
    }

    private static Block conv(int filters, int k, int s, int p) {
        return Conv2d.builder().setFilters(filters).setKernelSize(k).optStride(s).optPadding(p).build();
    }

    private static Block up(int filters) {
        // parameters and saved files as SequentialBlock(Upsample2d, Conv2d); computed without the upsampled array
        return new NearestUpsampledConv2d(
                Conv2d.builder().setFilters(filters).setKernelSize(3).optStride(1).optPadding(1).build());
    }

    private static Block linear(int units) {
        Linear l = Linear.builder().setUnits(units).build();
        l.setInitializer(FanInUniform.forWeight(), ai.djl.nn.Parameter.Type.WEIGHT);
        return l;
    }
}
