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
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.gen4j.core.data.BatchSource;
import io.gen4j.core.data.toy.EightGaussians;
import io.gen4j.core.data.toy.Toy2dBatches;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.math.Gaussians;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.LikelihoodModel;
import io.gen4j.core.model.ModelFamily;
import io.gen4j.core.model.ModelSpec;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.model.SaveableModel;
import io.gen4j.core.testing.BlockChecks;
import io.gen4j.core.testing.GradientCheck;
import io.gen4j.core.testing.ModelChecks;
import io.gen4j.core.testing.TrainingChecks;
import io.gen4j.core.train.Adam;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.LossTerms;
import io.gen4j.core.train.Objective;
import io.gen4j.core.train.ObjectiveStep;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole new family (docs/extending.md), the pattern gen4j's GAN, score and autoregressive modules
 * follow: a network block, a spec record, a model record implementing gen-core's contracts, its
 * {@link Objective}, and a {@link ModelFamily} registered in {@code
 * META-INF/services/io.gen4j.core.model.ModelFamily}; checked with every kit of gen-core's
 * test-jar: {@link GradientCheck}, {@link BlockChecks}, {@link TrainingChecks} and {@link
 * ModelChecks}. The family: a mixture of K diagonal Gaussians, fitted by maximum likelihood. Public
 * API only.
 */
class NewFamilyExtensionTest {

    @TempDir
    Path dir;

    // ------------------------------------------------------------------ the network

    /**
     * A mixture of K diagonal Gaussians in D dimensions (Bishop 2006, §9.2) with parameters logits
     * a (K), means μ (K, D) and log standard deviations (K, D):
     *
     * <pre>
     *   log p(x) = logsumexp_k [ log softmax(a)_k + Σ_d log N(x_d; μ_kd, σ_kd²) ]
     * </pre>
     *
     * As a block, {@code forward(x)} returns log p(x) of shape (N).
     */
    public static final class GaussianMixture extends AbstractBlock {

        private final int components;
        private final int dims;
        private final Parameter logits;
        private final Parameter means;
        private final Parameter logStds;

        /**
         * @param components K &gt;= 1
         * @param dims D &gt;= 1
         */
        public GaussianMixture(int components, int dims) {
            super((byte) 1);
            if (components < 1 || dims < 1) {
                throw new IllegalArgumentException("components and dims must be >= 1, got " + components + ", " + dims);
            }
            this.components = components;
            this.dims = dims;
            logits = addParameter(Parameter.builder().setName("logits").setType(Parameter.Type.OTHER)
                    .optShape(new Shape(components)).optInitializer(Initializer.ZEROS).build());
            means = addParameter(Parameter.builder().setName("means").setType(Parameter.Type.OTHER)
                    .optShape(new Shape(components, dims)).optInitializer(new NormalInitializer(1f)).build());
            logStds = addParameter(Parameter.builder().setName("logStds").setType(Parameter.Type.OTHER)
                    .optShape(new Shape(components, dims)).optInitializer(Initializer.ZEROS).build());
        }

        /** A parameter's value in the manager of {@code like} (docs/memory.md rule 1), differentiable. */
        private static NDArray local(NDArray like, ParameterStore ps, Parameter p, boolean training) {
            NDArray value = ps.getValue(p, like.getDevice(), training);
            return like.getManager().zeros(new Shape(), value.getDataType()).add(value);
        }

        /**
         * @param ps the parameter store
         * @param x data (N, D)
         * @param training whether this is a training pass
         * @return log p(x), shape (N), in the manager of x
         */
        public NDArray logLikelihood(ParameterStore ps, NDArray x, boolean training) {
            NDArray logPi = local(x, ps, logits, training).logSoftmax(0);
            NDArray mu = local(x, ps, means, training);
            NDArray logStd = local(x, ps, logStds, training);
            NDArray z = x.expandDims(1).sub(mu).div(logStd.exp()); // (N, K, D)
            NDArray terms = z.square().add(Gaussians.LOG_2PI).mul(-0.5).sub(logStd).sum(new int[] {2}).add(logPi);
            NDArray max = terms.max(new int[] {1}, true).stopGradient();
            return terms.sub(max).exp().sum(new int[] {1}).log().add(max.squeeze(1));
        }

        /**
         * Draws the component by the Gumbel-max trick, then the point, with the engine's generator.
         *
         * @param manager owns the result
         * @param n how many
         * @param temperature scales every standard deviation
         * @return (n, D)
         */
        public NDArray sample(NDManager manager, int n, double temperature) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray anchor = scope.zeros(new Shape());
                ParameterStore ps = new ParameterStore(scope, false);
                NDArray logPi = local(anchor, ps, logits, false).logSoftmax(0);
                NDArray u = scope.randomUniform(1e-7f, 1f, new Shape(n, components));
                NDArray k = logPi.add(u.log().neg().log().neg()).argMax(1);
                NDArray pick = k.expandDims(1).eq(scope.arange(0, components, 1, k.getDataType())).toType(DataType.FLOAT32, false);
                NDArray mu = pick.matMul(local(anchor, ps, means, false));
                NDArray std = pick.matMul(local(anchor, ps, logStds, false).exp());
                NDArray x = scope.randomNormal(new Shape(n, dims)).mul(std).mul(temperature).add(mu);
                x.attach(manager);
                return x;
            }
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            return new NDList(logLikelihood(ps, inputs.head(), training));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0))};
        }
    }

    // ------------------------------------------------------------------ spec, model, family

    /**
     * Everything that rebuilds a {@link GaussianMixtureModel}.
     *
     * @param components K
     * @param data vectors of D numbers
     */
    public record GaussianMixtureSpec(int components, DataSpec data) implements ModelSpec {

        /** The family name in model.json. */
        public static final String FAMILY = "gaussian-mixture";

        /** Validates. */
        public GaussianMixtureSpec {
            if (components < 1 || components > 10_000) {
                throw new IllegalArgumentException("components must be in [1, 10000], got " + components);
            }
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
     * A fitted mixture as gen-core's contracts see it: samples (temperature scales the standard
     * deviations) and the exact log-likelihood.
     *
     * @param spec the description
     * @param network the mixture (initialised)
     */
    public record GaussianMixtureModel(GaussianMixtureSpec spec, GaussianMixture network)
            implements GenerativeModel, LikelihoodModel {

        /** Validates. */
        public GaussianMixtureModel {
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(network, "network");
        }

        /**
         * @param spec the description
         * @param manager owns the parameters
         * @return a freshly initialised model (means drawn from the engine's generator)
         */
        public static GaussianMixtureModel create(GaussianMixtureSpec spec, NDManager manager) {
            int dims = Math.toIntExact(spec.data().size());
            GaussianMixture network = new GaussianMixture(spec.components(), dims);
            network.initialize(manager, DataType.FLOAT32, new Shape(1, dims));
            return new GaussianMixtureModel(spec, network);
        }

        /** @return maximum likelihood: the mean negative log-likelihood of a batch {@code (x)} */
        public Objective objective() {
            return Objective.of(network, (ctx, batch) ->
                    LossTerms.of(network.logLikelihood(ctx.parameters(), batch.head(), ctx.training()).mean().neg()));
        }

        @Override
        public NDArray sample(NDManager manager, int n, SampleOptions options) {
            return network.sample(manager, n, options.temperature());
        }

        @Override
        public NDArray logLikelihood(NDArray x) {
            return network.logLikelihood(new ParameterStore(x.getManager(), false), x, false);
        }
    }

    /** The {@code gaussian-mixture} family, listed in META-INF/services/io.gen4j.core.model.ModelFamily. */
    public static final class GaussianMixtureFamily implements ModelFamily<GaussianMixtureSpec> {

        /** For the service loader. */
        public GaussianMixtureFamily() {}

        @Override
        public String name() {
            return GaussianMixtureSpec.FAMILY;
        }

        @Override
        public Class<GaussianMixtureSpec> specType() {
            return GaussianMixtureSpec.class;
        }

        @Override
        public SaveableModel create(GaussianMixtureSpec spec, NDManager manager) {
            return GaussianMixtureModel.create(spec, manager);
        }
    }

    // ------------------------------------------------------------------ the kits

    /** Steps of the maximum-likelihood fit. */
    static final int STEPS = 1000;

    /** Two modes at (±2, 0), σ = 0.5, equal weights. */
    static final EightGaussians DATA = new EightGaussians(2, 2, 0.5);
    static final GaussianMixtureSpec SPEC = new GaussianMixtureSpec(2, DataSpec.vector(2));

    private static void set(GaussianMixture m, String name, double[] values) {
        NDArray a = m.getParameters().get(name).getArray();
        try (NDManager scope = a.getManager().newSubManager()) {
            scope.create(values, a.getShape()).toType(a.getDataType(), false).copyTo(a);
        }
    }

    @Test
    void theLikelihoodIsTheClosedFormMixtureDensity() {
        try (NDManager manager = NDManager.newBaseManager()) {
            GaussianMixture m = new GaussianMixture(2, 2);
            m.initialize(manager, DataType.FLOAT64, new Shape(1, 2));
            set(m, "logits", new double[] {0, Math.log(3)});                   // π = (1/4, 3/4)
            set(m, "means", new double[] {1, 0, -1, 2});
            set(m, "logStds", new double[] {0, 0, Math.log(0.5), Math.log(2)});
            double[][] points = {{0, 0}, {1, 1}, {-2, 3}};
            double[] got = m.logLikelihood(new ParameterStore(manager, false),
                    manager.create(new double[] {0, 0, 1, 1, -2, 3}, new Shape(3, 2)), false).toDoubleArray();
            for (int i = 0; i < 3; i++) {
                double x = points[i][0];
                double y = points[i][1];
                double p = 0.25 * normal(x, 1, 1) * normal(y, 0, 1) + 0.75 * normal(x, -1, 0.5) * normal(y, 2, 2);
                assertEquals(Math.log(p), got[i], 1e-12, "log p at point " + i);
            }
        }
    }

    private static double normal(double x, double mu, double sigma) {
        double u = (x - mu) / sigma;
        return Math.exp(-0.5 * u * u) / (sigma * Math.sqrt(2 * Math.PI));
    }

    @Test
    void theBlockPassesTheGradientSaveLoadAndLeakChecks() {
        try (NDManager model = NDManager.newBaseManager(); NDManager data = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(6);
            NDArray x = data.randomNormal(new Shape(5, 2));
            GradientCheck.Result r = GradientCheck.checkBlock(model, new GaussianMixture(3, 2),
                    new NDList(x.toType(DataType.FLOAT64, true)), 10, 3);
            assertTrue(r.worstRelativeError() < 1e-6, r.toString());
            BlockChecks.assertSaveLoadRoundTrip(model, () -> new GaussianMixture(3, 2), new NDList(x));
            BlockChecks.assertForwardDoesNotGrowModelManager(model, new GaussianMixture(3, 2), new NDList(x));
        }
    }

    /** Maximum likelihood on 2 modes: the fitted density is as good as the true one on fresh data. */
    @Test
    void fittedByObjectiveStepItMatchesTheTrueDensity() {
        try (FitRun run = new FitRun()) {
            Fit.builder().setStep(run.step).setSource(run.source).setManager(run.manager)
                    .optTotalSteps(STEPS).optSeed(4).build().run();
            double[][] test = DATA.sample(4096, 77L);
            double trueNll = 0;
            float[] flat = new float[2 * test.length];
            for (int i = 0; i < test.length; i++) {
                trueNll -= DATA.logDensity(test[i][0], test[i][1]) / test.length;
                flat[2 * i] = (float) test[i][0];
                flat[2 * i + 1] = (float) test[i][1];
            }
            double modelNll;
            try (NDManager scope = run.manager.newSubManager()) {
                modelNll = -run.model.logLikelihood(scope.create(flat, new Shape(test.length, 2))).mean().getFloat();
            }
            // the same test points: the difference estimates KL(data ‖ model) >= 0
            assertEquals(trueNll, modelNll, 0.03, "test NLL of the fitted mixture vs the true density");
        }
    }

    /** A training run of the family: ObjectiveStep over the model's objective on fresh toy batches. */
    static final class FitRun implements AutoCloseable {
        final NDManager manager = NDManager.newBaseManager();
        final GaussianMixtureModel model;
        final ObjectiveStep step;
        final BatchSource source = new Toy2dBatches(DATA, 256, 21);

        FitRun() {
            Engine.getInstance().setRandomSeed(12);
            model = GaussianMixtureModel.create(SPEC, manager);
            step = ObjectiveStep.builder().setObjective(model.objective())
                    .setOptimizer(Adam.factory(LearningRateSchedule.cosine(0.05, 0, 0, STEPS), AdamConfig.defaults()))
                    .optName("mixture").build();
        }

        /** @return this run as the resume kit's fixture (closing it closes the manager) */
        TrainingChecks.Setup setup() {
            return TrainingChecks.Setup.of(step, source, manager);
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    @Test
    void trainingResumesBitExactly() {
        TrainingChecks.assertResumeIsBitExact(() -> new FitRun().setup(), 5, 20, 8, dir);
    }

    @Test
    void theFamilySavesAndLoadsThroughModelStore() throws Exception {
        assertTrue(ModelStore.families().containsKey(GaussianMixtureSpec.FAMILY), ModelStore.families().keySet().toString());
        try (FitRun run = new FitRun()) {
            Fit.builder().setStep(run.step).setSource(run.source).setManager(run.manager)
                    .optTotalSteps(30).optSeed(4).build().run();
            ModelChecks.assertSaveLoadRoundTrip(run.model, dir.resolve("samples"),
                    (m, mgr) -> ((GenerativeModel) m).sample(mgr, 64, SampleOptions.defaults().withTemperature(0.5)));
            SaveableModel loaded = ModelChecks.assertSaveLoadRoundTrip(run.model, dir.resolve("likelihood"),
                    (m, mgr) -> ((LikelihoodModel) m).logLikelihood(mgr.create(DATA.sampleFlat(32, 5), new Shape(32, 2))));
            assertEquals(SPEC, loaded.spec());
            assertInstanceOf(GaussianMixtureModel.class,
                    ModelStore.load(dir.resolve("likelihood"), run.manager, LikelihoodModel.class));
        }
    }
}
