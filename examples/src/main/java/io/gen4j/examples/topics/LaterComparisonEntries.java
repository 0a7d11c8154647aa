package io.gen4j.examples.topics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.gen4j.core.data.ImageDataset;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.LikelihoodModel;
import io.gen4j.core.model.Likelihoods;
import io.gen4j.core.model.ModelSpec;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.runtime.Seeds;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.TrainingRecipe;
import io.gen4j.gans.GanModel;
import io.gen4j.gans.GanPreset;
import io.gen4j.gans.GanSpec;
import io.gen4j.gans.GanTraining;
import io.gen4j.score.ScorePresets;
import io.gen4j.score.flow.Coupling;
import io.gen4j.score.flow.FlowMatchingModel;
import io.gen4j.score.flow.FlowMatchingSpec;
import java.io.IOException;
import java.util.Objects;

/**
 * The families that landed after the comparison was written, joined to it the way the comparison
 * promises: one {@link ComparisonEntry} each and a line in {@code
 * META-INF/services/io.gen4j.examples.topics.ComparisonEntry}, nothing edited in {@link Comparison}.
 */
public final class LaterComparisonEntries {

    private LaterComparisonEntries() {}

    /** DCGAN (gen-gans), non-saturating loss, generator EMA: samples, no likelihood. */
    public static final class Gan implements ComparisonEntry {
        /** @return {@code dcgan} */
        @Override
        public String name() {
            return "dcgan";
        }

        @Override
        public int order() {
            return 60;
        }

        /**
         * @param p the profile
         * @return {@code GanPreset.comparison28()} (cpu), {@code comparison28Long()} (gpu), a seconds-long
         *     smoke size
         */
        static GanPreset preset(Profile p) {
            return switch (p) {
                case SMOKE -> new GanPreset(GanSpec.dcgan(8, 8, 2, 1, 28, 28),
                        GanPreset.comparison28().training().withSteps(5));
                case CPU -> GanPreset.comparison28();
                case GPU -> GanPreset.comparison28Long();
            };
        }

        @Override
        public GenerativeModel train(ComparisonContext c) throws IOException {
            ImageDataset d = c.train();
            Seeds.seedEngine(c.seedFor(name()));
            GanPreset preset = preset(c.profile());
            GanSpec spec = preset.spec().withData(DataSpec.image(1, d.height(), d.width(), PixelRange.MINUS_ONE_ONE));
            GanModel model = GanModel.create(spec, c.manager());
            GanTraining.Step step = preset.training().step(model);
            c.fit(name(), step, d.batches(preset.training().batchSize(), c.seedFor("dcgan-batches"), true,
                    PixelRange.MINUS_ONE_ONE), preset.training().steps());
            if (step.generatorEma() != null) {
                step.generatorEma().copyTo(model.generator()); // sample with the averaged weights
            }
            return model;
        }
    }

    /**
     * Flow matching (gen-score) with the straight path and a U-Net. Its likelihood through the ODE is a
     * density on [−1, 1]^D; the comparison needs log P of the discrete image, so the entry returns it
     * behind {@link DequantizedFlowMatching}: uniform dequantization into bins of width 2/256, a lower
     * bound on log P of the 8-bit image like RealNVP's.
     */
    public static final class FlowMatching implements ComparisonEntry {
        /** @return {@code flow-matching} */
        @Override
        public String name() {
            return "flow-matching";
        }

        @Override
        public int order() {
            return 35;
        }

        /**
         * @param p the profile
         * @return {@code ScorePresets.flowMatchingComparison28()} (cpu), {@code …Long()} (gpu), a
         *     seconds-long smoke size
         */
        static ScorePresets.FlowMatchingPreset preset(Profile p) {
            return switch (p) {
                case SMOKE -> {
                    ScorePresets.FlowMatchingPreset cpu = ScorePresets.flowMatchingComparison28();
                    FlowMatchingSpec s = cpu.spec();
                    yield cpu.withSpec(new FlowMatchingSpec(null, ComparisonEntries.smallUnet(p), s.path(), s.data(),
                            4, 2, 0)).withTraining(ComparisonEntries.smokeRecipe());
                }
                case CPU -> ScorePresets.flowMatchingComparison28();
                case GPU -> ScorePresets.flowMatchingComparison28Long();
            };
        }

        @Override
        public GenerativeModel train(ComparisonContext c) throws IOException {
            ImageDataset d = c.train();
            Seeds.seedEngine(c.seedFor(name()));
            ScorePresets.FlowMatchingPreset preset = preset(c.profile());
            DataSpec data = DataSpec.image(1, d.height(), d.width(), PixelRange.MINUS_ONE_ONE);
            FlowMatchingSpec p = preset.spec();
            FlowMatchingSpec spec = new FlowMatchingSpec(null, p.unet(), p.path(), data, p.sampleSteps(),
                    p.likelihoodSteps(), 0);
            FlowMatchingModel model = FlowMatchingModel.create(spec, c.manager());
            TrainingRecipe r = preset.training();
            ObjectiveStep step = ComparisonEntries.unetStep(model.objective(Coupling.INDEPENDENT, false), r);
            c.fit(name(), step, d.batches(r.batchSize(), c.seedFor("fm-batches"), true, PixelRange.MINUS_ONE_ONE),
                    r.steps());
            return new DequantizedFlowMatching(model);
        }
    }

    /**
     * A flow-matching model whose likelihood is that of the discrete image: {@code log P(v) ≥ E_u[log
     * p(x + uΔ)] + D ln Δ} with {@code x} the image in [−1, 1], {@code u ~ U[0, 1)^D} and {@code Δ =
     * 2/256} (Theis et al. 2016; the bins of width 2/256 starting at the 256 levels, spaced 2/255,
     * are disjoint, so the bound holds). One draw of {@code u} per call: a stochastic bound, so {@link
     * #isExact()} is false. Sampling, spec and network are the model's.
     *
     * @param model the trained model
     */
    public record DequantizedFlowMatching(FlowMatchingModel model) implements GenerativeModel, LikelihoodModel {

        /** Validates. */
        public DequantizedFlowMatching {
            Objects.requireNonNull(model, "model");
        }

        @Override
        public ModelSpec spec() {
            return model.spec();
        }

        @Override
        public Block network() {
            return model.network();
        }

        @Override
        public NDArray sample(NDManager manager, int n, SampleOptions options) {
            return model.sample(manager, n, options);
        }

        @Override
        public NDArray logLikelihood(NDArray x) {
            double bin = Likelihoods.BIN_WIDTH_8BIT_SYMMETRIC;
            long dims = x.getShape().size() / x.getShape().get(0);
            NDManager parent = x.getManager();
            try (NDManager scope = parent.newSubManager()) {
                NDArray u = scope.randomUniform(0f, 1f, x.getShape(), x.getDataType());
                NDArray logP = model.logLikelihood(x.add(Scalars.times(u, bin))).add(dims * Math.log(bin));
                logP.attach(parent);
                return logP;
            }
        }

        @Override
        public boolean isExact() {
            return false;
        }
    }
}
