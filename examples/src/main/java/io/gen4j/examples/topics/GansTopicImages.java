package io.gen4j.examples.topics;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.io.RunDirectory;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.train.Ema;
import io.gen4j.core.train.FitListener;
import io.gen4j.core.train.StepEnd;
import io.gen4j.core.viz.ImageGrid;
import io.gen4j.eval.CnnFeatureExtractor;
import io.gen4j.gans.GanModel;
import io.gen4j.gans.GanPreset;
import io.gen4j.gans.GanProgress;
import io.gen4j.gans.GanRecipe;
import io.gen4j.gans.GanSpec;
import io.gen4j.gans.GanTraining;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The image part of topics 11-03 and 11-04: a DCGAN (or a conditional one) trained on FashionMNIST
 * in [−1, 1], sample grids over training, and the classifier metrics of its (EMA) samples.
 */
final class GansTopicImages {

    /**
     * @param grids sample grids over training
     * @param samples samples scored
     */
    record Settings(int grids, int samples) {}

    /**
     * @param name the training's name
     * @param metrics the sample metrics (of the generator's EMA)
     * @param gridPngs the sample grids over training, in order
     * @param metricsCsv the training log
     * @param modelDir where the model (EMA weights) was saved
     * @param seconds training wall time
     */
    record Outcome(String name, GansTopicMetrics.Result metrics, List<Path> gridPngs, Path metricsCsv, Path modelDir,
            double seconds) {}

    private GansTopicImages() {}

    /**
     * @param preset a DCGAN preset (for 28×28 grey images)
     * @param data the topic's data
     * @return the preset's networks for the data's image height and width (one grey channel)
     */
    static GanSpec spec(GanPreset preset, TopicData data) {
        return preset.spec().withData(DataSpec.image(1, data.train().height(), data.train().width(),
                PixelRange.MINUS_ONE_ONE));
    }

    static Outcome train(String name, GanPreset preset, TopicData data, Settings s, TopicRun run,
            CnnFeatureExtractor cnn, long seed) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) seed);
            GanModel model = GanModel.create(spec(preset, data), m);
            GanRecipe recipe = preset.training();
            GanTraining.Step step = recipe.step(model);
            Path csv = run.directory().root().resolve("training").resolve(name + ".csv");
            long t0 = System.nanoTime();
            run.fit(name, step, data.train().batches(recipe.batchSize(), seed, true, PixelRange.MINUS_ONE_ONE), m,
                    recipe.steps(), seed, csv,
                    List.of(grids(model, step.generatorEma(), s, recipe.steps(), run.directory(), name)),
                    new GanProgress(System.err, Math.max(1, recipe.steps() / 20)));
            // also right after a resume or a restore
            List<Path> grids = gridPaths(s, recipe.steps(), run.directory(), name);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Ema ema = step.generatorEma();
            if (ema != null) {
                ema.copyTo(model.generator()); // sample and save with the averaged weights
            }
            Path dir = ModelStore.save(model, run.directory().root().resolve("models").resolve(name));
            GansTopicMetrics.Result r = GansTopicMetrics.measure(model, model.isConditional(), data.test(), cnn,
                    s.samples(), seed + 1, m);
            return new Outcome(name, r, grids, csv, dir, seconds);
        }
    }

    /** The grids {@link #grids} writes, in order: after steps every, 2·every, … (every = steps / grids). */
    static List<Path> gridPaths(Settings s, long steps, RunDirectory run, String name) {
        long every = Math.max(1, steps / s.grids());
        List<Path> out = new java.util.ArrayList<>();
        for (long done = every; done <= steps; done += every) {
            out.add(run.image(String.format(Locale.ROOT, "%s-step-%05d.png", name, done)));
        }
        return out;
    }

    /** At evenly spaced steps, a grid of 64 samples (10 per class row for a conditional GAN) from fixed z. */
    private static FitListener grids(GanModel model, Ema ema, Settings s, long steps, RunDirectory run, String name) {
        long every = Math.max(1, steps / s.grids());
        return new FitListener() {
            @Override
            public void onStepEnd(StepEnd e) {
                long done = e.step() + 1;
                if (done % every != 0) {
                    return;
                }
                try (NDManager scope = NDManager.newBaseManager(); Ema.Swap swap = ema == null ? null : ema.swapIn()) {
                    Path png = run.image(String.format(Locale.ROOT, "%s-step-%05d.png", name, done));
                    writeGrid(model, scope, png);
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            }
        };
    }

    /**
     * A grid of samples from a fixed seed: 8 × 8 for an unconditional GAN, one row of 10 per class
     * for a conditional one.
     */
    static void writeGrid(GanModel model, NDManager scope, Path png) throws IOException {
        Engine.getInstance().setRandomSeed(1234);
        NDArray x;
        int cols;
        if (model.isConditional()) {
            int k = model.spec().classes();
            NDArray[] rows = new NDArray[k];
            for (int c = 0; c < k; c++) {
                rows[c] = model.sample(scope, c, 10);
            }
            x = ai.djl.ndarray.NDArrays.concat(new ai.djl.ndarray.NDList(rows), 0);
            cols = 10;
        } else {
            x = model.sample(scope, 64, SampleOptions.defaults());
            cols = 8;
        }
        ImageGrid.writePng(x, PixelRange.MINUS_ONE_ONE, cols, 2, png);
    }
}
