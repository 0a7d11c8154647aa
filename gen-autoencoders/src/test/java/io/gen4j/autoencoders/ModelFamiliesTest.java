package io.gen4j.autoencoders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.LatentCodec;
import io.gen4j.core.model.LikelihoodModel;
import io.gen4j.core.model.ModelSpec;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.nn.Activation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The four families of this module through gen-core's ModelStore: same model back, specs as JSON, bad specs refused. */
class ModelFamiliesTest {

    private static final DataSpec BARS = DataSpec.image(1, 8, 8, PixelRange.ZERO_ONE);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private NDManager manager;
    private NDArray x;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager(ai.djl.Device.cpu());
        x = ToyData.bars(manager, 5, 3)[0];
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** Runs {@code f} right after seeding the engine, so that random draws repeat. */
    private static float[] seeded(int seed, Supplier<NDArray> f) {
        Engine.getInstance().setRandomSeed(seed);
        return f.get().toType(DataType.FLOAT32, false).toFloatArray();
    }

    private static VaeSpec vaeSpec(NetworkSpec encoder, NetworkSpec decoder, DecoderLikelihood likelihood) {
        return new VaeSpec(encoder, decoder,
                new VaeConfig(3, likelihood, 0.5, new KlSchedule(2, 100, 0.1), 8), BARS);
    }

    private <S extends ModelSpec> void assertJsonRoundTrip(S spec) throws IOException {
        String json = JSON.writeValueAsString(spec);
        assertEquals(spec, JSON.readValue(json, spec.getClass()), json);
    }

    @Test
    void everyFamilyIsRegistered() {
        assertTrue(ModelStore.families().keySet().containsAll(List.of("vae", "conditional-vae", "vq-vae", "autoencoder")),
                ModelStore.families().keySet().toString());
    }

    @Test
    void vaeComesBackBitIdentical() throws IOException {
        for (VaeSpec spec : List.of(
                vaeSpec(NetworkSpec.mlp(16, 8), NetworkSpec.mlp(8), DecoderLikelihood.BERNOULLI),
                vaeSpec(NetworkSpec.conv(16), NetworkSpec.conv(16), DecoderLikelihood.GAUSSIAN_LEARNED))) {
            assertJsonRoundTrip(spec);
            Engine.getInstance().setRandomSeed(1);
            VaeModel saved = VaeModel.create(spec, manager);
            SampleOptions cold = SampleOptions.defaults().withTemperature(0.7);
            float[] samples = seeded(9, () -> saved.sample(manager, 4, cold));
            float[] codes = saved.encode(x).toFloatArray();
            float[] bound = seeded(10, () -> saved.logLikelihood(x));
            Path to = dir.resolve(spec.encoder().kind().name());
            ModelStore.save(saved, to);
            assertEquals(spec, ModelStore.readSpec(to));

            Engine.getInstance().setRandomSeed(2); // other initial weights, replaced by the load
            GenerativeModel loaded = ModelStore.load(to, manager, GenerativeModel.class);
            VaeModel vae = assertInstanceOf(VaeModel.class, loaded);
            assertEquals(spec, vae.spec());
            assertArrayEquals(samples, seeded(9, () -> vae.sample(manager, 4, cold)));
            assertArrayEquals(codes, ModelStore.load(to, manager, LatentCodec.class).encode(x).toFloatArray());
            LikelihoodModel likelihood = ModelStore.load(to, manager, LikelihoodModel.class);
            assertFalse(likelihood.isExact());
            assertArrayEquals(bound, seeded(10, () -> likelihood.logLikelihood(x)));
        }
    }

    @Test
    void vaeTemperatureScalesThePriorsStandardDeviation() {
        VaeModel vae = VaeModel.create(vaeSpec(NetworkSpec.mlp(8), NetworkSpec.mlp(8), DecoderLikelihood.BERNOULLI), manager);
        // T → 0 decodes the prior's mode z = 0; T = 1 is Vae.sample.
        float[] mode = vae.decode(manager.zeros(new Shape(3, 3))).toFloatArray();
        assertArrayEquals(mode, seeded(4, () -> vae.sample(manager, 3, SampleOptions.defaults().withTemperature(1e-7))), 1e-6f);
        assertArrayEquals(seeded(4, () -> vae.network().sample(manager, 3)),
                seeded(4, () -> vae.sample(manager, 3, SampleOptions.defaults())));
        float[] scaled = seeded(4, () -> vae.decode(manager.randomNormal(new Shape(3, 3)).mul(2.5)));
        assertArrayEquals(scaled, seeded(4, () -> vae.sample(manager, 3, SampleOptions.defaults().withTemperature(2.5))), 1e-6f);
    }

    @Test
    void conditionalVaeComesBackAndSamplesTheAskedClasses() throws IOException {
        ConditionalVaeSpec spec = new ConditionalVaeSpec(NetworkSpec.mlp(16), NetworkSpec.conv(16), VaeConfig.defaults(2),
                ToyData.CLASSES, ConditionalPrior.LEARNED, BARS);
        assertJsonRoundTrip(spec);
        Engine.getInstance().setRandomSeed(1);
        ConditionalVaeModel saved = ConditionalVaeModel.create(spec, manager);
        // A learned prior that differs per class, so that the label matters.
        saved.network().getParameters().get("prior").getArray().addi(manager.randomNormal(new Shape(3, 4)));
        NDArray labels = manager.create(new long[] {0, 2, 1, 1, 0});
        SampleOptions cycle = SampleOptions.defaults().withTemperature(0.5);
        float[] cycled = seeded(9, () -> saved.sample(manager, 6, cycle));
        float[] twos = seeded(9, () -> saved.sample(manager, 6, cycle.withLabel(2)));
        float[] codes = saved.encode(x, labels).toFloatArray();
        ModelStore.save(saved, dir);

        Engine.getInstance().setRandomSeed(2);
        ConditionalVaeModel loaded = ModelStore.load(dir, manager, ConditionalVaeModel.class);
        assertEquals(spec, loaded.spec());
        assertArrayEquals(cycled, seeded(9, () -> loaded.sample(manager, 6, cycle)));
        assertArrayEquals(twos, seeded(9, () -> loaded.sample(manager, 6, cycle.withLabel(2))));
        assertArrayEquals(codes, loaded.encode(x, labels).toFloatArray());
        // label −1 cycles 0, 1, 2, 0, 1, 2; a fixed label gives every sample that class.
        assertArrayEquals(seeded(9, () -> loaded.network().sample(manager.create(new long[] {0, 1, 2, 0, 1, 2}), 0.5)), cycled);
        assertArrayEquals(seeded(9, () -> loaded.network().sample(manager.full(new Shape(6), 2, DataType.INT64), 0.5)), twos);
        assertThrows(IllegalArgumentException.class, () -> loaded.sample(manager, 2, cycle.withLabel(3)));
        IOException e = assertThrows(IOException.class, () -> ModelStore.load(dir, manager, LatentCodec.class));
        assertTrue(e.getMessage().contains("not a LatentCodec"), e.getMessage());
    }

    @Test
    void vqVaeComesBackWithItsCodebookAverages() throws IOException {
        VqVaeSpec spec = new VqVaeSpec(NetworkSpec.convFeature(16), NetworkSpec.convFeature(16),
                new VectorQuantizerConfig(8, 4, 0.25, CodebookUpdate.EMA, 0.9, 1e-5, 0.5), ReconstructionLoss.BCE_WITH_LOGITS, BARS);
        assertJsonRoundTrip(spec);
        Engine.getInstance().setRandomSeed(1);
        VqVaeModel saved = VqVaeModel.create(spec, manager);
        for (int i = 0; i < 3; i++) { // EMA updates and restarts: the averages are no longer their start
            saved.network().loss(new ParameterStore(manager, false), x, true);
        }
        float[] sizes = saved.network().quantizer().clusterSizes().toFloatArray();
        float[] codes = saved.encode(x).toFloatArray();
        long[] indices = saved.encodeIndices(x).toLongArray();
        float[] decoded = saved.decode(saved.encode(x)).toFloatArray();
        ModelStore.save(saved, dir);

        Engine.getInstance().setRandomSeed(2);
        VqVaeModel loaded = ModelStore.load(dir, manager, VqVaeModel.class);
        assertEquals(spec, loaded.spec());
        assertArrayEquals(sizes, loaded.network().quantizer().clusterSizes().toFloatArray());
        assertArrayEquals(codes, loaded.encode(x).toFloatArray());
        assertArrayEquals(indices, loaded.encodeIndices(x).toLongArray());
        assertArrayEquals(decoded, loaded.decode(loaded.encode(x)).toFloatArray());
        assertEquals(new Shape(4, 2, 2), loaded.latentShape());
        IOException e = assertThrows(IOException.class, () -> ModelStore.load(dir, manager, GenerativeModel.class));
        assertTrue(e.getMessage().contains("not a GenerativeModel"), e.getMessage());
    }

    @Test
    void autoencodersComeBackWithTheirTrainingSetup() throws IOException {
        AutoencoderSpec plain = AutoencoderSpec.plain(NetworkSpec.mlp(16), NetworkSpec.conv(16), 6,
                ReconstructionLoss.BCE_WITH_LOGITS, BARS);
        for (AutoencoderSpec spec : List.of(plain,
                plain.withCorruption(Corruption.SaltAndPepper.unit(0.2)),
                plain.withCorruption(new Corruption.Masking(0.3))
                        .withSparsity(new SparsityPenalty.KlDivergence(0.05, 3), Activation.SIGMOID),
                AutoencoderSpec.plain(NetworkSpec.conv(16), NetworkSpec.mlp(), 4, ReconstructionLoss.MSE,
                        DataSpec.image(1, 8, 8, PixelRange.MINUS_ONE_ONE)).withSparsity(new SparsityPenalty.L1(0.1), Activation.TANH))) {
            assertJsonRoundTrip(spec);
            Engine.getInstance().setRandomSeed(1);
            AutoencoderModel saved = AutoencoderModel.create(spec, manager);
            float[] codes = saved.encode(x).toFloatArray();
            float[] recon = saved.reconstruct(x).toFloatArray();
            Path to = dir.resolve(Integer.toString(spec.hashCode()));
            ModelStore.save(saved, to);
            Engine.getInstance().setRandomSeed(2);
            AutoencoderModel loaded = ModelStore.load(to, manager, AutoencoderModel.class);
            assertEquals(spec, loaded.spec());
            assertEquals(spec.corruption(), loaded.network().corruption());
            assertArrayEquals(codes, loaded.encode(x).toFloatArray());
            assertArrayEquals(recon, loaded.reconstruct(x).toFloatArray());
        }
        String json = JSON.writeValueAsString(plain.withCorruption(new Corruption.Gaussian(0.5)));
        assertTrue(json.contains("{\"type\":\"gaussian\",\"sigma\":0.5}") && json.contains("\"sparsity\":null"), json);
    }

    @Test
    void specsThatCannotBeBuiltAreRefusedWithTheReason() {
        assertMessage("encoder must be [MLP, CONV]", () -> vaeSpec(NetworkSpec.convFeature(16), NetworkSpec.mlp(8),
                DecoderLikelihood.BERNOULLI));
        assertMessage("divisible by 4", () -> new VaeSpec(NetworkSpec.mlp(8), NetworkSpec.conv(16), VaeConfig.defaults(2),
                DataSpec.image(1, 10, 10, PixelRange.ZERO_ONE)));
        assertMessage("PixelRange.ZERO_ONE, got MINUS_ONE_ONE", () -> new VaeSpec(NetworkSpec.mlp(8), NetworkSpec.mlp(8),
                VaeConfig.defaults(2), DataSpec.image(1, 8, 8, PixelRange.MINUS_ONE_ONE)));
        assertMessage("encoder must be [MLP]", () -> new ConditionalVaeSpec(NetworkSpec.conv(16), NetworkSpec.mlp(8),
                VaeConfig.defaults(2), 3, ConditionalPrior.LEARNED, BARS));
        assertMessage("numClasses must be >= 2, got 1", () -> new ConditionalVaeSpec(NetworkSpec.mlp(8), NetworkSpec.mlp(8),
                VaeConfig.defaults(2), 1, ConditionalPrior.LEARNED, BARS));
        assertMessage("decoder must be [CONV_FEATURE]", () -> new VqVaeSpec(NetworkSpec.convFeature(16), NetworkSpec.conv(16),
                VectorQuantizerConfig.defaults(8, 4), ReconstructionLoss.MSE, BARS));
        assertMessage("codeActivation must be SIGMOID, got NONE", () -> AutoencoderSpec.plain(NetworkSpec.mlp(8),
                NetworkSpec.mlp(8), 4, ReconstructionLoss.MSE, BARS).withSparsity(new SparsityPenalty.KlDivergence(0.1, 1), Activation.NONE));
        assertMessage("one width", () -> new NetworkSpec(NetworkSpec.Kind.CONV, List.of(16, 32)));
        assertMessage("every width must be >= 1", () -> NetworkSpec.mlp(8, 0));
    }

    @Test
    void savedSpecsThatDoNotDescribeTheParametersAreRefused() throws IOException {
        VaeSpec spec = vaeSpec(NetworkSpec.mlp(8), NetworkSpec.mlp(8), DecoderLikelihood.BERNOULLI);
        ModelStore.save(VaeModel.create(spec, manager), dir);
        Path file = dir.resolve(ModelStore.SPEC_FILE);
        String original = Files.readString(file);

        ObjectNode root = (ObjectNode) JSON.readTree(original);
        ((ObjectNode) root.at("/spec/config")).put("latentDim", 4); // valid spec, other parameter shapes
        Files.writeString(file, JSON.writeValueAsString(root));
        IOException e = assertThrows(IOException.class, () -> ModelStore.load(dir, manager));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());

        root = (ObjectNode) JSON.readTree(original);
        ((ObjectNode) root.at("/spec/encoder")).put("kind", "CONV_FEATURE"); // a spec no VAE can have
        Files.writeString(file, JSON.writeValueAsString(root));
        e = assertThrows(IOException.class, () -> ModelStore.load(dir, manager));
        assertTrue(e.getMessage().contains("'vae' spec") && e.getMessage().contains("encoder must be [MLP, CONV]"),
                e.getMessage());

        root = (ObjectNode) JSON.readTree(original);
        ((ObjectNode) root.at("/spec/config")).put("latentDim", 0);
        Files.writeString(file, JSON.writeValueAsString(root));
        e = assertThrows(IOException.class, () -> ModelStore.readSpec(dir));
        assertTrue(e.getMessage().contains("latentDim must be >= 1, got 0"), e.getMessage());

        root = (ObjectNode) JSON.readTree(original);
        ((ObjectNode) root.at("/spec")).put("layers", 3); // a field no VAE spec has
        Files.writeString(file, JSON.writeValueAsString(root));
        e = assertThrows(IOException.class, () -> ModelStore.readSpec(dir));
        assertTrue(e.getMessage().contains("layers"), e.getMessage());
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
