package io.gen4j.eval;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.gen4j.core.data.Permutations;
import io.gen4j.core.runtime.Autocast;
import io.gen4j.core.runtime.ConvGuard;
import io.gen4j.core.train.FitListener;
import io.gen4j.core.train.FitResult;
import io.gen4j.core.train.StepEnd;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the {@link CnnClassifier} with Adam and softmax cross-entropy, a plain seeded loop.
 *
 * @param epochs passes over the training images, >= 1
 * @param batchSize images per step, >= 1
 * @param learningRate Adam step size, > 0
 * @param seed seeds the engine (initial weights) and the shuffle
 */
public record CnnClassifierTraining(int epochs, int batchSize, double learningRate, long seed) {

    private static final Logger LOGGER = LoggerFactory.getLogger(CnnClassifierTraining.class);

    /** Validates the settings. */
    public CnnClassifierTraining {
        if (epochs < 1 || batchSize < 1) {
            throw new IllegalArgumentException("epochs and batchSize must be >= 1, got " + epochs + ", " + batchSize);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
        }
    }

    /** @return 5 epochs, batch 128, learning rate 1e-3, seed 0 */
    public static CnnClassifierTraining defaults() {
        return new CnnClassifierTraining(5, 128, 1e-3, 0L);
    }

    /**
     * Trains a fresh classifier.
     *
     * @param config architecture
     * @param images training images, shape matching the architecture
     * @param labels class of each image, in [0, numClasses)
     * @param parent manager under which the trained parameters are kept
     * @return the trained classifier as a feature extractor (close it to free the parameters)
     */
    public CnnFeatureExtractor train(CnnClassifierConfig config, ImageSet images, int[] labels, NDManager parent) {
        return train(config, images, labels, parent, new FitListener() { });
    }

    /**
     * @param images how many training images
     * @return the number of optimisation steps {@link #train} takes on them: epochs × ⌈images / batchSize⌉
     */
    public long totalSteps(int images) {
        return (long) epochs * ((images + batchSize - 1) / batchSize);
    }

    /**
     * Trains a fresh classifier and reports every step to {@code listener}, as {@link
     * io.gen4j.core.train.Fit} does: a {@link StepEnd} with the step's {@code loss}, then one {@link
     * FitResult} ({@link io.gen4j.core.train.ProgressBar} draws it).
     *
     * @param config architecture
     * @param images training images, shape matching the architecture
     * @param labels class of each image, in [0, numClasses)
     * @param parent manager under which the trained parameters are kept
     * @param listener told about every step and the end
     * @return the trained classifier as a feature extractor (close it to free the parameters)
     */
    public CnnFeatureExtractor train(CnnClassifierConfig config, ImageSet images, int[] labels, NDManager parent,
            FitListener listener) {
        // a metric's classifier is trained in float32 whatever the caller's Autocast: its features must not
        // depend on the precision the generator was trained in
        try (Autocast.Scope float32 = Autocast.float32()) {
            return trainInFloat32(config, images, labels, parent, listener);
        }
    }

    private CnnFeatureExtractor trainInFloat32(CnnClassifierConfig config, ImageSet images, int[] labels,
            NDManager parent, FitListener listener) {
        if (images.channels() != config.channels() || images.height() != config.height()
                || images.width() != config.width()) {
            throw new IllegalArgumentException("images are " + images + ", classifier expects " + config.channels()
                    + "x" + config.height() + "x" + config.width());
        }
        if (labels.length != images.count()) {
            throw new IllegalArgumentException(images.count() + " images but " + labels.length + " labels");
        }
        // the guard's canary opens its own GradientCollector: decide the mode before ours is open
        ConvGuard.mode();
        Engine.getInstance().setRandomSeed((int) seed);
        NDManager manager = parent.newSubManager();
        CnnClassifier block = new CnnClassifier(config);
        block.initialize(manager, DataType.FLOAT32, block.inputShape());
        Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) learningRate)).build();
        ParameterStore ps = new ParameterStore(manager, false);
        Loss loss = Loss.softmaxCrossEntropyLoss();
        Random random = new Random(seed);
        int steps = 0;
        long total = totalSteps(images.count());
        long start = System.nanoTime();
        java.util.Map<String, Double> last = java.util.Map.of();
        for (int epoch = 0; epoch < epochs; epoch++) {
            int[] order = Permutations.permutation(images.count(), random);
            double lossSum = 0;
            int batches = 0;
            for (int from = 0; from < images.count(); from += batchSize) {
                int to = Math.min(images.count(), from + batchSize);
                int[] idx = java.util.Arrays.copyOfRange(order, from, to);
                float[] y = new float[idx.length];
                for (int i = 0; i < idx.length; i++) {
                    y[i] = labels[idx[i]];
                }
                double stepLoss;
                try (NDManager step = manager.newSubManager()) {
                    NDArray x = images.subset(idx).batch(step, 0, idx.length);
                    NDArray target = step.create(y, new Shape(idx.length));
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = block.forward(ps, new NDList(x), true).get(0);
                        NDArray l = loss.evaluate(new NDList(target), new NDList(logits));
                        gc.backward(l);
                        stepLoss = l.getFloat();
                        lossSum += stepLoss;
                    }
                    for (Pair<String, Parameter> p : block.getParameters()) {
                        NDArray w = p.getValue().getArray();
                        NDArray g = w.getGradient();
                        adam.update(p.getValue().getId(), w, g);
                        g.subi(g); // gradients accumulate across backward calls: zero after the update
                        g.close();
                    }
                    steps++;
                }
                last = java.util.Map.of("loss", stepLoss);
                listener.onStepEnd(new StepEnd(steps - 1, total, 0, last, System.nanoTime() - start));
                batches++;
            }
            LOGGER.info("classifier {} epoch {}: mean loss {} ({} steps)", config.name(), epoch + 1,
                    String.format("%.4f", lossSum / batches), steps);
        }
        listener.onFinish(new FitResult(0, steps, last, System.nanoTime() - start, java.util.Optional.empty()));
        return CnnFeatureExtractor.of(block, manager);
    }
}
