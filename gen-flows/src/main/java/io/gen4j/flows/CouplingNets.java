package io.gen4j.flows;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import io.gen4j.core.nn.Activation;
import io.gen4j.core.nn.Mlp;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Conditioner networks for the coupling layers: {@link #mlp} and {@link #residual} map the masked
 * input (N, C, ...) to the raw log-scale and shift (N, 2C, ...) of an {@link AffineCoupling}; {@link
 * #shiftMlp} and {@link #shiftResidual} map it to the shift (N, C, ...) of an {@link
 * AdditiveCoupling}. Their last layer starts at zero, so every coupling starts as the identity and
 * the flow as its base distribution (Glow's trick; it removes the early blow-ups of deep flows).
 */
public final class CouplingNets {

    private CouplingNets() {}

    /**
     * A fully connected conditioner for vector data: D → hidden → … → 2D, SiLU activations.
     *
     * @param dims D, the data dimension
     * @param hidden width of each hidden layer, at least 1
     * @param layers number of hidden layers, at least 1
     * @return an uninitialised MLP whose output layer is zero-initialised
     */
    public static Mlp mlp(int dims, int hidden, int layers) {
        return zeroOutputMlp(dims, 2, hidden, layers);
    }

    /**
     * A fully connected shift conditioner for vector data: D → hidden → … → D, SiLU activations.
     *
     * @param dims D, the data dimension
     * @param hidden width of each hidden layer, at least 1
     * @param layers number of hidden layers, at least 1
     * @return an uninitialised MLP whose output layer is zero-initialised
     */
    public static Mlp shiftMlp(int dims, int hidden, int layers) {
        return zeroOutputMlp(dims, 1, hidden, layers);
    }

    private static Mlp zeroOutputMlp(int dims, int outputsPerDim, int hidden, int layers) {
        if (dims < 1 || hidden < 1 || layers < 1) {
            throw new IllegalArgumentException(
                    "dims, hidden and layers must be >= 1, got " + dims + ", " + hidden + ", " + layers);
        }
        int[] widths = new int[layers];
        java.util.Arrays.fill(widths, hidden);
        Mlp mlp = Mlp.builder().setHidden(widths).setOutput(outputsPerDim * dims)
                .optActivation(Activation.SILU).build();
        zeroLastLayer(mlp);
        return mlp;
    }

    /**
     * A residual convolutional conditioner for images (RealNVP §4.1 uses a ResNet):
     * conv3×3 → {@code blocks} residual blocks → GroupNorm → SiLU → conv3×3 (zero-initialised).
     *
     * @param channels C, the input channels
     * @param hidden hidden channels, a multiple of {@code groups}
     * @param blocks residual blocks, at least 1
     * @param groups GroupNorm groups
     * @return an uninitialised conditioner
     */
    public static ResidualCouplingNet residual(int channels, int hidden, int blocks, int groups) {
        return new ResidualCouplingNet(channels, hidden, blocks, groups);
    }

    /**
     * The residual convolutional conditioner of {@link #residual} with C output channels: the shift
     * of an {@link AdditiveCoupling}.
     *
     * @param channels C, the input and output channels
     * @param hidden hidden channels, a multiple of {@code groups}
     * @param blocks residual blocks, at least 1
     * @param groups GroupNorm groups
     * @return an uninitialised conditioner
     */
    public static ResidualCouplingNet shiftResidual(int channels, int hidden, int blocks, int groups) {
        return new ResidualCouplingNet(channels, channels, hidden, blocks, groups);
    }

    /**
     * Sets a zero initializer on the last two parameters of a block (weight and bias of its output
     * layer).
     *
     * @param block an uninitialised block
     */
    static void zeroLastLayer(Block block) {
        List<Parameter> params = block.getParameters().values();
        if (params.size() < 2) {
            throw new IllegalArgumentException("expected a block with an output layer, got " + block);
        }
        Set<Parameter> last = Collections.newSetFromMap(new IdentityHashMap<>());
        last.add(params.get(params.size() - 1));
        last.add(params.get(params.size() - 2));
        block.setInitializer(Initializer.ZEROS, last::contains);
    }
}
