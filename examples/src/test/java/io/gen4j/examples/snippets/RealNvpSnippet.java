package io.gen4j.examples.snippets;

// snippet:begin
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.gen4j.core.data.TensorBatches;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.runtime.EngineInfo;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.ProgressBar;
import io.gen4j.core.train.TrainingRecipe;
import io.gen4j.flows.MaximumLikelihoodObjective;
import io.gen4j.flows.NormalizingFlow;
import io.gen4j.flows.RealNvp;
import io.gen4j.flows.RealNvpModel;
import io.gen4j.flows.RealNvpSpec;
import java.nio.file.Path;

/** RealNVP on your own 2-D points, with the settings topic 11-08 measured: from data to samples and likelihood. */
public final class RealNvpSnippet {

    /**
     * @param train training points, N rows of (x, y)
     * @param test held-out points
     * @param preset the model and its training, e.g. {@code RealNvp.Presets.toy2d()}
     * @param out where the model is saved
     * @param seed the seed of everything random
     * @return the mean test NLL in nats per point
     */
    public static double fit(double[][] train, double[][] test, RealNvp.VectorPreset preset, Path out, long seed)
            throws Exception {
        EngineInfo.start(2); // the engine: 2 intra-op threads, quiet native logs (no canary: it runs at a first conv)
        TrainingRecipe training = preset.training();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NormalizingFlow flow = RealNvp.vector(preset.model());
            flow.initialize(manager, DataType.FLOAT32, new Shape(training.batchSize(), 2)); // parameters first,
            // then ActNorm's data-dependent initialisation from up to initializationPoints() points
            flow.initializeFromData(toArray(manager, train, Math.min(train.length, preset.initializationPoints())));

            ObjectiveStep step = training.step(new MaximumLikelihoodObjective(flow)).optName("flow").build();
            Fit.builder().setStep(step).setManager(manager) // the manager that holds the parameters
                    .setSource(TensorBatches.ofRows(train, training.batchSize(), seed, true))
                    .optTotalSteps(training.steps()).optSeed(seed)
                    .addListener(ProgressBar.create(System.err))
                    .build().run();

            RealNvpModel model = new RealNvpModel(RealNvpSpec.vector(preset.model()), flow);
            ModelStore.save(model, out); // model.json + parameters.bin; ModelStore.load(out, manager) reads it back

            try (NDManager scope = manager.newSubManager()) { // arrays made here are freed at the end
                NDArray samples = model.sample(scope, 1000, SampleOptions.defaults()); // (1000, 2)
                System.out.println("first sample: " + samples.get(0));
                NDArray logLikelihood = model.logLikelihood(toArray(scope, test, test.length)); // nats, (N,)
                return -logLikelihood.mean().getFloat();
            }
        }
    }

    private static NDArray toArray(NDManager manager, double[][] rows, int n) {
        float[] flat = new float[2 * n];
        for (int i = 0; i < n; i++) {
            flat[2 * i] = (float) rows[i][0];
            flat[2 * i + 1] = (float) rows[i][1];
        }
        return manager.create(flat, new Shape(n, 2));
    }
}
// snippet:end
