package io.gen4j.examples.extending;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gen4j.autoencoders.DecoderLikelihood;
import io.gen4j.autoencoders.KlSchedule;
import io.gen4j.autoencoders.Vae;
import io.gen4j.autoencoders.VaeConfig;
import io.gen4j.core.data.TensorBatches;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.LatentCodec;
import io.gen4j.core.model.LikelihoodModel;
import io.gen4j.core.model.ModelFamily;
import io.gen4j.core.model.ModelSpec;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.model.SaveableModel;
import io.gen4j.core.testing.BlockChecks;
import io.gen4j.core.testing.GradientCheck;
import io.gen4j.core.testing.ModelChecks;
import io.gen4j.core.train.Adam;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.ObjectiveStep;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extending autoencoders (docs/extending.md): a {@link Vae} with encoder and decoder blocks of your
 * own (a residual MLP), saved and loaded through a {@link ModelFamily} of your own — a spec record,
 * a model record and the family, registered in {@code
 * META-INF/services/io.gen4j.core.model.ModelFamily} of the test resources — and checked with
 * {@link BlockChecks}, {@link GradientCheck} and {@link ModelChecks#assertSaveLoadRoundTrip}.
 * Public API only.
 */
class VaeExtensionTest {

    @TempDir
    Path dir;

    // ------------------------------------------------------------------ your own blocks

    /**
     * A residual MLP (He et al. 2016's identity shortcuts on fully connected layers): Linear → k ×
     * [h + W₂·relu(W₁·relu(h))] → relu → Linear, from (N, D_in) to (N, outputs).
     */
    public static final class ResidualMlp extends AbstractBlock {

        private final Block input;
        private final List<Block[]> residuals = new ArrayList<>();
        private final Block output;

        /**
         * @param hidden the width of the residual stream, &gt;= 1
         * @param blocks residual blocks, &gt;= 0
         * @param outputs the output width, &gt;= 1
         */
        public ResidualMlp(int hidden, int blocks, int outputs) {
            super((byte) 1);
            input = addChildBlock("input", Linear.builder().setUnits(hidden).build());
            for (int i = 0; i < blocks; i++) {
                residuals.add(new Block[] {
                    addChildBlock("res" + i + "a", Linear.builder().setUnits(hidden).build()),
                    addChildBlock("res" + i + "b", Linear.builder().setUnits(hidden).build())});
            }
            output = addChildBlock("output", Linear.builder().setUnits(outputs).build());
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray h = input.forward(ps, inputs, training).head();
            for (Block[] r : residuals) {
                NDArray a = r[0].forward(ps, new NDList(h.getNDArrayInternal().relu()), training).head();
                h = h.add(r[1].forward(ps, new NDList(a.getNDArrayInternal().relu()), training).head());
            }
            return output.forward(ps, new NDList(h.getNDArrayInternal().relu()), training);
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            input.initialize(manager, dataType, inputShapes);
            Shape h = input.getOutputShapes(inputShapes)[0];
            for (Block[] r : residuals) {
                r[0].initialize(manager, dataType, h);
                r[1].initialize(manager, dataType, h);
            }
            output.initialize(manager, dataType, h);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            Shape h = input.getOutputShapes(inputShapes)[0];
            return output.getOutputShapes(new Shape[] {h});
        }
    }

    // ------------------------------------------------------------------ your own family

    /**
     * Everything that rebuilds a {@link ResidualVaeModel}: the residual networks' sizes, the VAE's
     * hyperparameters and the data (vectors). Written to model.json by {@link ModelStore}.
     *
     * @param hidden width of both networks' residual streams
     * @param blocks residual blocks of each network
     * @param config the VAE's hyperparameters
     * @param data vectors of D numbers
     */
    public record ResidualVaeSpec(int hidden, int blocks, VaeConfig config, DataSpec data) implements ModelSpec {

        /** The family name in model.json. */
        public static final String FAMILY = "residual-vae";

        /** Validates. */
        public ResidualVaeSpec {
            if (hidden < 1 || blocks < 0) {
                throw new IllegalArgumentException("need hidden >= 1 and blocks >= 0, got " + hidden + ", " + blocks);
            }
            Objects.requireNonNull(config, "config");
            if (data == null || data.isImage() || data.shape().length != 1) {
                throw new IllegalArgumentException("data must be vectors (DataSpec.vector(D)), got " + data);
            }
        }

        @Override
        public String family() {
            return FAMILY;
        }
    }

    /**
     * The VAE a {@link ResidualVaeSpec} describes, as gen-core's model contracts see it.
     *
     * @param spec the description
     * @param network the VAE (initialised)
     */
    public record ResidualVaeModel(ResidualVaeSpec spec, Vae network)
            implements GenerativeModel, LikelihoodModel, LatentCodec {

        /**
         * @param spec the description
         * @param manager owns the parameters
         * @return a freshly initialised model
         */
        public static ResidualVaeModel create(ResidualVaeSpec spec, NDManager manager) {
            int dims = Math.toIntExact(spec.data().size());
            int latent = spec.config().latentDim();
            Vae vae = new Vae(new ResidualMlp(spec.hidden(), spec.blocks(), 2 * latent),
                    new ResidualMlp(spec.hidden(), spec.blocks(), dims), spec.config(), new Shape(dims));
            vae.initialize(manager, DataType.FLOAT32, new Shape(1, dims));
            return new ResidualVaeModel(spec, vae);
        }

        @Override
        public NDArray sample(NDManager manager, int n, SampleOptions options) {
            return network.sample(manager, n, options.temperature());
        }

        @Override
        public NDArray logLikelihood(NDArray x) {
            return network.logLikelihood(x);
        }

        @Override
        public boolean isExact() {
            return false;
        }

        @Override
        public NDArray encode(NDArray x) {
            return network.encode(x);
        }

        @Override
        public NDArray decode(NDArray z) {
            return network.decode(z);
        }

        @Override
        public Shape latentShape() {
            return network.latentShape();
        }
    }

    /** The {@code residual-vae} family, listed in META-INF/services/io.gen4j.core.model.ModelFamily. */
    public static final class ResidualVaeFamily implements ModelFamily<ResidualVaeSpec> {

        /** For the service loader. */
        public ResidualVaeFamily() {}

        @Override
        public String name() {
            return ResidualVaeSpec.FAMILY;
        }

        @Override
        public Class<ResidualVaeSpec> specType() {
            return ResidualVaeSpec.class;
        }

        @Override
        public SaveableModel create(ResidualVaeSpec spec, NDManager manager) {
            return ResidualVaeModel.create(spec, manager);
        }
    }

    // ------------------------------------------------------------------ the checks

    /** 4-D data on a 2-D linear subspace plus noise: x = A·z + 0.1·n. */
    static double[][] data(int n, long seed) {
        double[][] a = {{1, 0.5}, {-0.5, 1}, {0.8, -0.3}, {0.2, 0.9}};
        Random rng = new Random(seed);
        double[][] rows = new double[n][4];
        for (int i = 0; i < n; i++) {
            double z0 = rng.nextGaussian();
            double z1 = rng.nextGaussian();
            for (int d = 0; d < 4; d++) {
                rows[i][d] = a[d][0] * z0 + a[d][1] * z1 + 0.1 * rng.nextGaussian();
            }
        }
        return rows;
    }

    static NDArray batch(NDManager manager, double[][] rows) {
        float[] flat = new float[rows.length * 4];
        for (int i = 0; i < rows.length; i++) {
            for (int d = 0; d < 4; d++) {
                flat[4 * i + d] = (float) rows[i][d];
            }
        }
        return manager.create(flat, new Shape(rows.length, 4));
    }

    @Test
    void theResidualBlockPassesTheBlockKits() {
        try (NDManager model = NDManager.newBaseManager(); NDManager data = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(4);
            NDList x = new NDList(data.randomNormal(new Shape(5, 4)));
            BlockChecks.assertSaveLoadRoundTrip(model, () -> new ResidualMlp(8, 2, 6), x);
            BlockChecks.assertForwardDoesNotGrowModelManager(model, new ResidualMlp(8, 2, 6), x);
            NDList x64 = new NDList(x.head().toType(DataType.FLOAT64, true));
            GradientCheck.Result r = GradientCheck.checkBlock(model, new ResidualMlp(8, 2, 6), x64, 12, 5);
            assertTrue(r.worstRelativeError() < 1e-5, r.toString());
        }
    }

    @Test
    void aTrainedVaeOfOwnBlocksSavesAndLoadsThroughItsOwnFamily() throws Exception {
        assertTrue(ModelStore.families().containsKey(ResidualVaeSpec.FAMILY), ModelStore.families().keySet().toString());
        VaeConfig config = new VaeConfig(2, DecoderLikelihood.GAUSSIAN_FIXED, 0.3, KlSchedule.defaults(), 16);
        ResidualVaeSpec spec = new ResidualVaeSpec(16, 1, config, DataSpec.vector(4));
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(8);
            ResidualVaeModel model = ResidualVaeModel.create(spec, manager);
            NDArray test = batch(manager, data(256, 99));
            Engine.getInstance().setRandomSeed(1);
            double before = model.logLikelihood(test).mean().getFloat();
            ObjectiveStep step = ObjectiveStep.builder().setObjective(model.network().objective())
                    .setOptimizer(Adam.factory(LearningRateSchedule.constant(1e-2), AdamConfig.defaults())).build();
            Fit.builder().setStep(step).setSource(TensorBatches.ofRows(data(1024, 7), 128, 3, true))
                    .setManager(manager).optTotalSteps(100).optSeed(2).build().run();
            Engine.getInstance().setRandomSeed(1);
            double after = model.logLikelihood(test).mean().getFloat();
            // measured: -60.0 before, -3.9 nats after 100 steps
            assertTrue(after > before + 30 && after > -4.5, "the IWAE bound improves with training: " + before + " -> "
                    + after);

            // samples, likelihoods and codes are bit-identical after ModelStore.save and load
            float[] rows = test.toFloatArray();
            ModelChecks.assertSaveLoadRoundTrip(model, dir.resolve("samples"),
                    (m, mgr) -> ((GenerativeModel) m).sample(mgr, 16, SampleOptions.defaults().withTemperature(0.8)));
            ModelChecks.assertSaveLoadRoundTrip(model, dir.resolve("likelihood"),
                    (m, mgr) -> ((LikelihoodModel) m).logLikelihood(mgr.create(rows, new Shape(256, 4))));
            SaveableModel loaded = ModelChecks.assertSaveLoadRoundTrip(model, dir.resolve("codes"),
                    (m, mgr) -> ((LatentCodec) m).encode(mgr.create(rows, new Shape(256, 4))));
            assertEquals(spec, loaded.spec());
            assertEquals(ResidualVaeSpec.FAMILY,
                    new ObjectMapper().readTree(dir.resolve("codes").resolve(ModelStore.SPEC_FILE).toFile())
                            .get("family").asText());
            assertInstanceOf(ResidualVaeModel.class, ModelStore.load(dir.resolve("codes"), manager, GenerativeModel.class));
        }
    }
}
