package io.gen4j.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.gen4j.core.math.Scalars;
import io.gen4j.core.nn.Conv2d;

/**
 * The small CNN used as an in-project feature extractor for MNIST-like data (and CIFAR-10):
 * <pre>
 *   x ∈ [0,1] → (x − ½)/½ → conv3×3(c1) → ReLU → maxpool 2 → conv3×3(c2) → ReLU → maxpool 2
 *     → flatten → linear(featureDim) → ReLU  = features φ(x)
 *     → linear(numClasses)                     = logits
 * </pre>
 * The forward returns {@code (logits, features)}. Convolutions are gen4j's guarded
 * {@link Conv2d} (docs/known-issues.md §1). The features feed FID/KID/precision-recall; the logits feed the
 * Inception Score and the class accuracy of conditional samples. Metrics computed with it are named
 * after it (e.g. {@code FID-fmnist-cnn}) and are only comparable between runs using the same
 * weights file.
 */
public final class CnnClassifier extends AbstractBlock {

    private static final byte VERSION = 1;

    private final CnnClassifierConfig config;
    private final Conv2d conv1;
    private final Conv2d conv2;
    private final Linear hidden;
    private final Linear output;

    /**
     * @param config the architecture
     */
    public CnnClassifier(CnnClassifierConfig config) {
        super(VERSION);
        this.config = config;
        conv1 = addChildBlock("conv1", Conv2d.builder().setFilters(config.conv1()).setKernelSize(3).optPadding(1).build());
        conv2 = addChildBlock("conv2", Conv2d.builder().setFilters(config.conv2()).setKernelSize(3).optPadding(1).build());
        hidden = addChildBlock("hidden", Linear.builder().setUnits(config.featureDim()).build());
        output = addChildBlock("output", Linear.builder().setUnits(config.numClasses()).build());
    }

    /** @return the architecture */
    public CnnClassifierConfig config() {
        return config;
    }

    /** @return the input shape of one batch of one image, (1, C, H, W) */
    public Shape inputShape() {
        return new Shape(1, config.channels(), config.height(), config.width());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        if (x.getDataType() != DataType.FLOAT32) {
            x = x.toType(DataType.FLOAT32, false);
        }
        x = Scalars.timesInPlace(x.sub(0.5f), 2f);
        x = Activation.relu(conv1.forward(ps, new NDList(x), training).head());
        x = Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
        x = Activation.relu(conv2.forward(ps, new NDList(x), training).head());
        x = Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
        x = x.reshape(x.getShape().get(0), -1);
        NDArray features = Activation.relu(hidden.forward(ps, new NDList(x), training).head());
        NDArray logits = output.forward(ps, new NDList(features), training).head();
        return new NDList(logits, features);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long n = inputShapes[0].get(0);
        return new Shape[] {new Shape(n, config.numClasses()), new Shape(n, config.featureDim())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        long n = in.get(0);
        conv1.initialize(manager, dataType, in);
        Shape afterPool1 = new Shape(n, config.conv1(), config.height() / 2, config.width() / 2);
        conv2.initialize(manager, dataType, afterPool1);
        long flat = (long) config.conv2() * (config.height() / 4) * (config.width() / 4);
        hidden.initialize(manager, dataType, new Shape(n, flat));
        output.initialize(manager, dataType, new Shape(n, config.featureDim()));
    }
}
