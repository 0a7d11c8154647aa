package io.gen4j.gans;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.gen4j.core.train.LossTerms;
import io.gen4j.core.train.Objective;
import io.gen4j.core.train.StepContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both players' parameter gradients do not change when the JVM collects garbage between the forward
 * pass and the backward pass.
 *
 * <p>In DJL 0.36 (PyTorch engine) {@code x.mul(2.0)}, {@code div}, {@code maximum}, {@code minimum}
 * and {@code pow} with a Java number wrap the number in a tensor whose memory is a Java direct
 * buffer, and close that tensor right after the op: the buffer becomes garbage, while autograd still
 * holds the tensor for the backward pass (the derivative of {@code x·c} is {@code c}). A garbage
 * collection in between frees the buffer and the backward multiplies by whatever the allocator wrote
 * there (measured: 4.47, 1.4e-45, −1.3e32 instead of 0.2). In training this showed up as an isolated
 * discriminator gradient norm of ~1e18 or +∞ (LeakyReLU's slope 0.2) in about one run in three, not
 * reproducible because it depends on when the collector runs. gen-gans therefore multiplies by
 * constants held in engine-owned tensors ({@link io.gen4j.core.math.Scalars}) and uses the engine's LeakyReLU and ReLU.
 */
class GarbageCollectionGradientTest {

    static Stream<Arguments> settings() {
        return Stream.of(
                Arguments.of("non-saturating", GanSpec.mlp(2, 16, 2, 2), GanLoss.nonSaturating(), null),
                Arguments.of("minimax + spectral norm", GanSpec.mlp(2, 16, 2, 2).withSpectralNorm(true), GanLoss.minimax(),
                        null),
                Arguments.of("hinge", GanSpec.mlp(2, 16, 2, 2), GanLoss.hinge(), null),
                Arguments.of("least squares", GanSpec.mlp(2, 16, 2, 2), GanLoss.leastSquares(), null),
                Arguments.of("wgan-gp", GanSpec.mlp(2, 16, 2, 2), GanLoss.wasserstein(), GradientPenalty.defaults()),
                Arguments.of("non-saturating + r1", GanSpec.mlp(2, 16, 2, 2), GanLoss.nonSaturating(), new R1Penalty(10)),
                Arguments.of("dcgan wgan-gp", GanSpec.dcgan(4, 4, 2, 1, 8, 8), GanLoss.wasserstein(),
                        GradientPenalty.defaults()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void gradientsDoNotDependOnWhenTheJvmCollectsGarbage(String name, GanSpec spec, GanLoss loss, CriticPenalty penalty)
            throws InterruptedException {
        for (boolean generatorPlayer : new boolean[] {false, true}) {
            List<float[]> quiet = gradients(spec, loss, penalty, generatorPlayer, false);
            List<float[]> collected = gradients(spec, loss, penalty, generatorPlayer, true);
            assertTrue(!quiet.isEmpty());
            for (int i = 0; i < quiet.size(); i++) {
                assertArrayEquals(quiet.get(i), collected.get(i), 1e-6f,
                        name + (generatorPlayer ? ", generator" : ", discriminator") + ", parameter " + i);
            }
        }
    }

    /** One player's loss and backward on a fresh model (same seed); its parameter gradients. */
    private static List<float[]> gradients(GanSpec spec, GanLoss loss, CriticPenalty penalty, boolean generatorPlayer,
            boolean collectInBetween) throws InterruptedException {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            GanModel model = GanModel.create(spec, m);
            Objective objective = generatorPlayer
                    ? new GeneratorObjective(model.generator(), model.discriminator(), loss, 0)
                    : new DiscriminatorObjective(model.generator(), model.discriminator(), loss, penalty, 0);
            Engine.getInstance().setRandomSeed(11);
            long[] shape = new long[spec.data().shape().length + 1];
            shape[0] = 16;
            System.arraycopy(spec.data().shape(), 0, shape, 1, spec.data().shape().length);
            try (NDManager step = m.newSubManager()) {
                NDArray real = step.randomNormal(new Shape(shape)).tanh();
                StepContext ctx = new StepContext(new ParameterStore(step, false), 0, true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    LossTerms terms = objective.loss(ctx, new NDList(real));
                    if (collectInBetween) {
                        collectGarbage();
                    }
                    gc.backward(terms.total());
                }
                return read(objective.network(), Function.identity());
            }
        }
    }

    private static List<float[]> read(Block block, Function<float[], float[]> f) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (!p.getValue().requiresGradient()) {
                continue;
            }
            NDArray w = p.getValue().getArray();
            try (NDManager scope = w.getManager().newSubManager()) {
                scope.tempAttachAll(w);
                out.add(f.apply(w.getGradient().toFloatArray()));
            }
        }
        return out;
    }

    /** Frees unreachable direct buffers: a few full collections, each followed by a pause for the reference handler. */
    static void collectGarbage() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20);
        }
    }
}
