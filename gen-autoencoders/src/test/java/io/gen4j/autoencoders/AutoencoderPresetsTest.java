package io.gen4j.autoencoders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.nn.Activation;
import io.gen4j.core.train.TrainingRecipe;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The autoencoder-family presets carry the settings their docs state and build their models. */
class AutoencoderPresetsTest {

    @BeforeEach
    void seeded() {
        Engine.getInstance().setRandomSeed(553);
    }

    @Test
    void thePlainDenoisingAndSparsePresetsAreTheDocumentedOnes() {
        AutoencoderPreset plain = AutoencoderPreset.plain28();
        assertEquals(List.of(256), plain.spec().encoder().widths());
        assertEquals(32, plain.spec().codeSize());
        assertEquals(ReconstructionLoss.BCE_WITH_LOGITS, plain.spec().loss());
        assertEquals(new TrainingRecipe(2000, 128, 1e-3, 1e-3, 0, 0, plain.training().adam()), plain.training());
        AutoencoderPreset dae = AutoencoderPreset.denoising28(new Corruption.Gaussian(0.5));
        assertEquals(new Corruption.Gaussian(0.5), dae.spec().corruption());
        assertEquals(plain.training(), dae.training());
        AutoencoderPreset sparse = AutoencoderPreset.sparse28();
        assertEquals(64, sparse.spec().codeSize());
        assertEquals(new SparsityPenalty.KlDivergence(0.05, 3.0), sparse.spec().sparsity());
        assertEquals(Activation.SIGMOID, sparse.spec().codeActivation());
        assertEquals(1000, sparse.training().steps());
    }

    @Test
    void thePlainPresetBuildsAModelOfItsCodeSize() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AutoencoderModel model = AutoencoderModel.create(AutoencoderPreset.plain28().spec(), manager);
            NDArray x = manager.randomUniform(0, 1, new Shape(3, 1, 28, 28));
            assertEquals(new Shape(3, 32), model.encode(x).getShape());
            assertEquals(new Shape(3, 1, 28, 28), model.reconstruct(x).getShape());
        }
    }

    @Test
    void theConditionalAndVqPresetsAreTheDocumentedOnes() {
        ConditionalVaePreset cvae = ConditionalVaePreset.classes28();
        assertEquals(List.of(256), cvae.spec().encoder().widths());
        assertEquals(16, cvae.spec().config().latentDim());
        assertEquals(10, cvae.spec().numClasses());
        assertEquals(ConditionalPrior.LEARNED, cvae.spec().prior());
        assertEquals(new KlSchedule(1, 300, 0), cvae.spec().config().kl());
        assertEquals(new TrainingRecipe(3000, 64, 1e-3, 1e-3, 0, 0, cvae.training().adam()), cvae.training());
        assertEquals(3, cvae.withClasses(3).spec().numClasses());
        assertEquals(20_000, ConditionalVaePreset.classes28Long().training().steps());
        VqVaePreset vq = VqVaePreset.binarized28();
        assertEquals(VectorQuantizerConfig.defaults(64, 16), vq.spec().quantizer());
        assertEquals(NetworkSpec.convFeature(16), vq.spec().encoder());
        assertEquals(new TrainingRecipe(800, 128, 2e-3, 2e-3, 0, 0, vq.training().adam()), vq.training());
        assertArrayEquals(new long[] {1, 28, 28}, vq.spec().data().shape());
        assertInstanceOf(VqVaeSpec.class, VqVaePreset.binarized28Long().spec());
        assertEquals(256, VqVaePreset.binarized28Long().training().batchSize());
    }
}
