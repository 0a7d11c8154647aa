package io.gen4j.score;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.data.toy.EightGaussians;
import io.gen4j.core.data.toy.OracleEntropy;
import io.gen4j.core.data.toy.Toy2dBatches;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.train.Adam;
import io.gen4j.core.train.AdamConfig;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.LearningRateSchedule;
import io.gen4j.core.train.MultiPlayerStep;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.Player;
import io.gen4j.score.ebm.ContrastiveDivergence;
import io.gen4j.score.ebm.EbmModel;
import io.gen4j.score.ebm.EbmSpec;
import io.gen4j.score.ebm.ReplayBuffer;
import io.gen4j.score.flow.Coupling;
import io.gen4j.score.flow.FlowMatchingModel;
import io.gen4j.score.flow.FlowMatchingSpec;
import io.gen4j.score.flow.Reflow;
import io.gen4j.score.nn.MlpFieldConfig;
import io.gen4j.score.ode.Rk4Solver;
import io.gen4j.score.ode.TraceEstimator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Quality-regression guards on the eight-Gaussians toy (seeded, small budgets): flow matching's test
 * NLL through the ODE, reflow's straightness, and the EBM's grid-normalised NLL, each against the
 * oracle entropy with a margin over the measured value.
 */
@Tag("quality")
class ScoreQualityTest {

    static final EightGaussians TOY = EightGaussians.defaults();

    static double nll(java.util.function.Function<NDArray, NDArray> logLikelihood, NDManager manager) {
        NDArray x = manager.create(TOY.sampleFlat(2000, 901L), new Shape(2000, 2));
        return -logLikelihood.apply(x).mean().getFloat();
    }

    @Test
    void flowMatchingNllGapAndReflowStraightness() {
        double oracle = OracleEntropy.of(TOY).nats();
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(900);
            FlowMatchingModel fm = FlowMatchingModel.create(FlowMatchingSpec.vector(new MlpFieldConfig(2, 64, 3, 32, 1000),
                    FlowMatchingSpec.Path.STRAIGHT), manager);
            ObjectiveStep step = ObjectiveStep.builder().setObjective(fm.objective(Coupling.INDEPENDENT, false))
                    .setOptimizer(Adam.factory(LearningRateSchedule.cosine(3e-3, 6e-5, 0, 1500), AdamConfig.defaults()))
                    .build();
            Fit.builder().setStep(step).setSource(new Toy2dBatches(TOY, 256, 902)).setManager(manager)
                    .optTotalSteps(1500).optSeed(903).build().run();
            double gap = nll(x -> fm.logLikelihood(x, new Rk4Solver(20), TraceEstimator.EXACT), manager) - oracle;
            // measured (seed 900, load average 16): 0.2007 nats; a negative gap would mean a wrong likelihood
            assertTrue(gap < 0.30 && gap > -0.05, "flow-matching NLL gap " + gap);
            Engine.getInstance().setRandomSeed(904);
            NDArray z = fm.prior(manager, 2000);
            NDArray x1 = fm.sample(manager, z, new Rk4Solver(20), false).samples();
            FlowMatchingModel second = FlowMatchingModel.create(fm.spec().withReflow(1), manager);
            ObjectiveStep reflow = ObjectiveStep.builder().setObjective(second.objective(Coupling.INDEPENDENT, true))
                    .setOptimizer(Adam.factory(LearningRateSchedule.cosine(3e-3, 6e-5, 0, 800), AdamConfig.defaults()))
                    .build();
            Fit.builder().setStep(reflow).setSource(Reflow.pairedBatches(z, x1, 256, 905)).setManager(manager)
                    .optTotalSteps(800).optSeed(906).build().run();
            NDArray probe = fm.prior(manager, 1000);
            double s1 = Reflow.straightness(fm.velocity(new ParameterStore(manager, false)), probe, 50);
            double s2 = Reflow.straightness(second.velocity(new ParameterStore(manager, false)), probe, 50);
            // measured: 1.8363 -> 0.0139 (ratio 0.008)
            assertTrue(s2 < 0.05 * s1, "straightness " + s1 + " -> " + s2);
                    }
    }

    @Test
    void ebmGridNllGap() {
        double oracle = OracleEntropy.of(TOY).nats();
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(910);
            EbmModel ebm = EbmModel.create(new EbmSpec(64, 3, -4, 4, 160, 200, 2e-3, DataSpec.vector(2)), manager);
            ReplayBuffer buffer = new ReplayBuffer(10_000, 2, -4, 4, 0.05);
            MultiPlayerStep step = MultiPlayerStep.builder()
                    .addPlayer(Player.builder("energy", new ContrastiveDivergence(ebm.energy(), buffer, 10, 0.01,
                            Math.sqrt(0.02) * 0.5, 0.1)).setOptimizer(Adam.factory(
                                    LearningRateSchedule.cosine(1.5e-3, 3e-5, 0, 800), AdamConfig.defaults())).build())
                    .addState("replay", buffer).build();
            Fit.builder().setStep(step).setSource(new Toy2dBatches(TOY, 256, 911)).setManager(manager)
                    .optTotalSteps(800).optSeed(912).build().run();
            double gap = nll(ebm::logLikelihood, manager) - oracle;
            // measured (seed 910, load average 16): 0.6133 nats
            assertTrue(gap < 0.85 && gap > -0.05, "EBM NLL gap " + gap);
                    }
    }
}
