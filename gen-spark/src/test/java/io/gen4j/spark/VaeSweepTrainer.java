package io.gen4j.spark;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.gen4j.autoencoders.DecoderLikelihood;
import io.gen4j.autoencoders.KlSchedule;
import io.gen4j.autoencoders.NetworkSpec;
import io.gen4j.autoencoders.Vae;
import io.gen4j.autoencoders.VaeConfig;
import io.gen4j.autoencoders.VaeModel;
import io.gen4j.autoencoders.VaeSpec;
import io.gen4j.core.data.TensorBatches;
import io.gen4j.core.io.CheckpointStore;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.io.RunDirectory;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.runtime.Seeds;
import io.gen4j.core.train.Fit;
import io.gen4j.core.train.FitListener;
import io.gen4j.core.train.FitResult;
import io.gen4j.core.train.MetricsFormat;
import io.gen4j.core.train.MetricsLog;
import io.gen4j.core.train.ObjectiveStep;
import io.gen4j.core.train.StepEnd;
import io.gen4j.core.train.TrainingRecipe;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.TaskContext;

/**
 * A sweep point of the tests: a small VAE (MLP 32, latent 2, Gaussian decoder σ = 0.5) on 512 points
 * of a 4-D Gaussian mixture, with β ({@code beta}) and the learning rate ({@code lr}) from the point,
 * in a normal run directory: config.json (by the sweep), metrics.csv, checkpoints/, model/.
 *
 * @param steps optimizer updates
 * @param checkpointEvery steps between checkpoints
 * @param failOnceAtStep on a task's first attempt, throw after this step (0: never), as a dying task
 */
record VaeSweepTrainer(long steps, long checkpointEvery, long failOnceAtStep) implements SweepTrainer {

    private static final long SEED = 11;

    @Override
    public Map<String, Double> train(Map<String, Double> point, Path runDir) throws Exception {
        double beta = point.getOrDefault("beta", 1.0);
        double lr = point.getOrDefault("lr", 1e-3);
        RunDirectory run = RunDirectory.open(runDir);
        try (NDManager manager = NDManager.newBaseManager()) {
            Seeds.seedEngine(SEED);
            VaeConfig config = VaeConfig.defaults(2).withLikelihood(DecoderLikelihood.GAUSSIAN_FIXED, 0.5)
                    .withKl(new KlSchedule(beta, 0, 0));
            VaeModel model = VaeModel.create(new VaeSpec(NetworkSpec.mlp(32), NetworkSpec.mlp(32), config,
                    DataSpec.vector(4)), manager);
            Vae vae = model.network();
            ObjectiveStep step = TrainingRecipe.of(steps, 64, lr, lr, 0, 0).step(vae.objective()).optName("vae").build();
            TensorBatches source = TensorBatches.ofRows(data(), 64, SEED, true);
            CheckpointStore store = new CheckpointStore(run.checkpoints(), 2, step.state(), source, SEED,
                    RunDirectory.toJson(point));
            OptionalLong restored = store.restoreLatest();
            long start = restored.orElse(0);
            MetricsLog.truncate(run.metricsCsv(), start);
            try (MetricsLog log = new MetricsLog(run.metricsCsv(), MetricsFormat.CSV, 1)) {
                Fit.Builder fit = Fit.builder().setStep(step).setSource(source).setManager(manager)
                        .optTotalSteps(steps).optStartStep(start).optSeed(SEED)
                        .optCheckpointEvery(checkpointEvery, store).addListener(log);
                TaskContext context = TaskContext.get();
                if (failOnceAtStep > 0 && context != null && context.attemptNumber() == 0) {
                    fit.addListener(new FitListener() {
                        @Override
                        public void onStepEnd(StepEnd event) {
                            if (event.step() + 1 == failOnceAtStep) {
                                throw new IllegalStateException("injected failure after step " + failOnceAtStep);
                            }
                        }
                    });
                }
                FitResult result = fit.build().run();
                ModelStore.save(model, runDir.resolve("model"));
                Map<String, Double> metrics = new TreeMap<>(result.lastMetrics());
                metrics.put("startStep", (double) start);
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = scope.create(flat(data()), new ai.djl.ndarray.types.Shape(data().length, 4));
                    metrics.put("elbo", (double) vae.elbo(new ParameterStore(scope, false), x).mean().getFloat());
                }
                return metrics;
            }
        }
    }

    private static float[] flat(double[][] rows) {
        float[] out = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < rows[i].length; j++) {
                out[i * rows[i].length + j] = (float) rows[i][j];
            }
        }
        return out;
    }

    /** 512 points: two Gaussian clusters at ±1 in 4-D with σ = 0.3, from a fixed seed. */
    static double[][] data() {
        Random r = new Random(5);
        double[][] rows = new double[512][4];
        for (int i = 0; i < rows.length; i++) {
            double c = (i % 2 == 0) ? 1 : -1;
            for (int j = 0; j < 4; j++) {
                rows[i][j] = c + 0.3 * r.nextGaussian();
            }
        }
        return rows;
    }
}
