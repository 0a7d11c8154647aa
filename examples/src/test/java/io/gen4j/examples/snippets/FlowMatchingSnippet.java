package io.gen4j.examples.snippets;

// snippet:begin
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.TensorBatches;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.model.LikelihoodModel;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.runtime.EngineInfo;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.ProgressBar;
import io.gen4j.core.train.TrainingRecipe;
import io.gen4j.score.ScorePresets;
import io.gen4j.score.flow.Coupling;
import io.gen4j.score.flow.FlowMatchingModel;
import java.nio.file.Path;

/** Flow matching on your own 2-D points with the settings topic 11-09 measured: train, sample, ODE likelihood, save/load. */
public final class FlowMatchingSnippet {

    /**
     * @param train training points, N rows of (x, y)
     * @param test held-out points
     * @param preset the model and its training, e.g. {@code ScorePresets.flowMatching2d()}
     * @param out where the model is saved
     * @param seed the seed of everything random
     * @return the mean test NLL in nats per point, through the ODE of the model loaded back from {@code out}
     */
    public static double fit(double[][] train, double[][] test, ScorePresets.FlowMatchingPreset preset, Path out,
            long seed) throws Exception {
        EngineInfo.start(2); // the engine: 2 intra-op threads, quiet native logs
        TrainingRecipe training = preset.training();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            FlowMatchingModel model = FlowMatchingModel.create(preset.spec(), manager); // parameters initialized
            // straight path, independent coupling: 1-rectified flow (new MinibatchOtCoupling() for Tong et al.'s OT-CFM)
            ObjectiveStep step = training.step(model.objective(Coupling.INDEPENDENT, false)).optName("fm").build();
            Fit.builder().setStep(step).setManager(manager) // the manager that holds the parameters
                    .setSource(TensorBatches.ofRows(train, training.batchSize(), seed, true))
                    .optTotalSteps(training.steps()).optSeed(seed)
                    .addListener(ProgressBar.create(System.err))
                    .build().run();
            ModelStore.save(model, out); // model.json + parameters.bin

            try (NDManager scope = manager.newSubManager()) { // arrays made here are freed at the end
                // Euler through the learned ODE, spec().sampleSteps() steps unless the options say otherwise
                NDArray samples = model.sample(scope, 1000, SampleOptions.defaults().withSteps(100)); // (1000, 2)
                System.out.println("first sample: " + samples.get(0));
                // any gen4j model comes back through the family service, as the CLI's eval loads it
                LikelihoodModel loaded = ModelStore.load(out, scope, LikelihoodModel.class);
                // log p(x) through the ODE (instantaneous change of variables, exact trace, RK4), nats, (N,)
                NDArray logLikelihood = loaded.logLikelihood(toArray(scope, test));
                return -logLikelihood.mean().getFloat();
            }
        }
    }

    private static NDArray toArray(NDManager manager, double[][] rows) {
        float[] flat = new float[2 * rows.length];
        for (int i = 0; i < rows.length; i++) {
            flat[2 * i] = (float) rows[i][0];
            flat[2 * i + 1] = (float) rows[i][1];
        }
        return manager.create(flat, new Shape(rows.length, 2));
    }
}
// snippet:end
