package io.gen4j.score;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.testing.BlockChecks;
import io.gen4j.core.train.StepContext;
import io.gen4j.score.ebm.ContrastiveDivergence;
import io.gen4j.score.ebm.EbmModel;
import io.gen4j.score.ebm.EbmSpec;
import io.gen4j.score.ebm.ReplayBuffer;
import io.gen4j.score.flow.FlowMatchingModel;
import io.gen4j.score.flow.FlowMatchingSpec;
import io.gen4j.score.flow.Reflow;
import io.gen4j.score.matching.NcsnModel;
import io.gen4j.score.matching.NcsnSpec;
import io.gen4j.score.matching.NoiseLevels;
import io.gen4j.score.nn.MlpFieldConfig;
import org.junit.jupiter.api.Test;

/**
 * The models' samplers, likelihoods and the EBM's chains leave nothing behind: neither in the
 * caller's manager (beyond the result) nor in the manager that owns the parameters.
 */
class ModelMemoryTest {

    @Test
    void modelsLeaveOnlyTheirResults() {
        Engine.getInstance().setRandomSeed(95);
        try (NDManager params = NDManager.newBaseManager(); NDManager data = NDManager.newBaseManager()) {
            MlpFieldConfig mlp = new MlpFieldConfig(2, 16, 2, 8, 1);
            FlowMatchingModel fm = FlowMatchingModel.create(FlowMatchingSpec.vector(mlp, FlowMatchingSpec.Path.VP), params);
            NcsnModel ncsn = NcsnModel.create(new NcsnSpec(mlp, new NoiseLevels(1, 0.1, 3), 2, 1e-3, 3,
                    DataSpec.vector(2)), params);
            EbmModel ebm = EbmModel.create(new EbmSpec(16, 2, -2, 2, 20, 3, 1e-3, DataSpec.vector(2)), params);
            NDArray x = data.randomNormal(new Shape(8, 2));
            int p0 = BlockChecks.countManagedArrays(params);
            int d0 = BlockChecks.countManagedArrays(data);
            for (int repeat = 0; repeat < 3; repeat++) {
                for (io.gen4j.core.model.GenerativeModel m : new io.gen4j.core.model.GenerativeModel[] {fm, ncsn, ebm}) {
                    NDArray s = m.sample(data, 4, SampleOptions.defaults().withSteps(3));
                    NDArray l = ((io.gen4j.core.model.LikelihoodModel) m).logLikelihood(x);
                    assertEquals(d0 + 2, BlockChecks.countManagedArrays(data), m.spec().family());
                    assertEquals(p0, BlockChecks.countManagedArrays(params), m.spec().family());
                    s.close();
                    l.close();
                }
                double straightness = Reflow.straightness(fm.velocity(new ParameterStore(data, false)), x, 4);
                assertEquals(d0, BlockChecks.countManagedArrays(data), "straightness " + straightness);
                ReplayBuffer buffer = new ReplayBuffer(16, 2, -2, 2, 0.1);
                try (NDManager step = data.newSubManager()) {
                    x.tempAttach(step);
                    new ContrastiveDivergence(ebm.energy(), buffer, 3, 0.01, 0.01, 0.1)
                            .prepare(new StepContext(new ParameterStore(step, false), 0, true), new NDList(x));
                }
                assertEquals(d0, BlockChecks.countManagedArrays(data), "contrastive divergence chains");
                assertEquals(p0, BlockChecks.countManagedArrays(params));
            }
        }
    }

    @Test
    void theImageScoreModelsSamplersAndLikelihoodLeaveOnlyTheirResults() {
        Engine.getInstance().setRandomSeed(96);
        try (NDManager params = NDManager.newBaseManager(); NDManager data = NDManager.newBaseManager()) {
            NcsnModel ncsn = NcsnModel.create(NcsnSpec.image(io.gen4j.core.nn.UNetConfig.builder().setImageChannels(1)
                    .optBaseChannels(8).optChannelMultipliers(1, 2).optGroups(4).build(), new NoiseLevels(5, 0.01, 3),
                    2, 1e-4, 2, DataSpec.image(1, 8, 8, io.gen4j.core.data.PixelRange.MINUS_ONE_ONE)), params);
            NDArray x = data.randomUniform(-1f, 1f, new Shape(2, 1, 8, 8));
            int p0 = BlockChecks.countManagedArrays(params);
            int d0 = BlockChecks.countManagedArrays(data);
            for (int repeat = 0; repeat < 2; repeat++) {
                for (String sampler : NcsnModel.SAMPLERS) {
                    NDArray s = ncsn.sample(data, 2, SampleOptions.defaults().withSteps(2).withSampler(sampler));
                    assertEquals(d0 + 1, BlockChecks.countManagedArrays(data), sampler);
                    assertEquals(p0, BlockChecks.countManagedArrays(params), sampler);
                    s.close();
                }
                NDArray l = ncsn.logLikelihood(x);
                assertEquals(d0 + 1, BlockChecks.countManagedArrays(data), "likelihood");
                assertEquals(p0, BlockChecks.countManagedArrays(params), "likelihood");
                l.close();
            }
        }
    }
}
