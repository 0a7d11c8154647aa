package io.gen4j.autoregressive;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.model.GenerativeModel;
import io.gen4j.core.model.LikelihoodModel;
import io.gen4j.core.model.Likelihoods;
import io.gen4j.core.model.SampleOptions;
import io.gen4j.core.runtime.StopSignal;
import io.gen4j.core.train.LossTerms;
import io.gen4j.core.train.Objective;
import java.util.Map;
import java.util.Objects;

/**
 * A PixelCNN as a gen-core model (family {@code pixelcnn}): an exact {@link LikelihoodModel} of the
 * discrete image (for a class-conditional model, of the marginal p(x) = (1/K) Σ_y p(x | y) under
 * uniform classes) and a {@link GenerativeModel} that samples pixel by pixel, reading {@link
 * SampleOptions#temperature()} and {@link SampleOptions#label()}.
 *
 * <p><b>Sampling without recomputing what cannot change.</b> A pixel's conditional depends only on
 * the {@link PixelCnnConfig#rowsAbove()} rows above it and its own row, so {@link #sample(NDManager,
 * int, SampleOptions, boolean)} runs the network on that band of rows only (a fixed cost per pixel
 * instead of one growing with H); with {@code banded = false} it runs on the whole image every
 * pixel (the naive sampler). For the gated architecture the default is {@link PixelCnnSampler#PIXEL_CACHED}: the
 * vertical stack, which sees only the rows above, runs once per row, and each pixel runs each layer of the
 * horizontal stack at its own column only, from the activations kept from the pixels to its left ({@link
 * PixelCnnSampler#ROW_CACHED} runs the horizontal stack on the whole row for every pixel). All of them draw the same
 * random numbers in the same order from the same conditionals, so the naive and banded samplers give the same
 * samples for the same seed, and the cached ones too except where their matrix products round a conditional across a
 * draw's uniform number; the test suite checks them.
 *
 * @param spec the description
 * @param pixelCnn the initialised network
 */
public record PixelCnnModel(PixelCnnSpec spec, PixelCnn pixelCnn) implements GenerativeModel, LikelihoodModel {

    /** Validates. */
    public PixelCnnModel {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(pixelCnn, "pixelCnn");
    }

    /**
     * @param spec the description
     * @param manager owns the parameters
     * @return a model with freshly initialised parameters
     */
    public static PixelCnnModel create(PixelCnnSpec spec, NDManager manager) {
        PixelCnn net = new PixelCnn(spec.config());
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 1, spec.config().height(), spec.config().width()));
        return new PixelCnnModel(spec, net);
    }

    @Override
    public PixelCnn network() {
        return pixelCnn;
    }

    /**
     * log p(x | y) per example.
     *
     * @param ps the parameter store
     * @param x images (N, 1, H, W) in [0, 1]
     * @param labels (N) labels, or null when unconditional
     * @param training whether in training
     * @return (N) nats
     */
    public NDArray logLikelihood(ParameterStore ps, NDArray x, NDArray labels, boolean training) {
        NDArray params = pixelCnn.conditionals(ps, x, labels, training);
        return spec.config().output().logProb(params, x).sum(new int[] {1, 2});
    }

    @Override
    public NDArray logLikelihood(NDArray x) {
        ParameterStore ps = new ParameterStore(x.getManager(), false);
        int classes = spec.config().classes();
        if (classes == 0) {
            return logLikelihood(ps, x, null, false);
        }
        NDList per = new NDList();
        for (int y = 0; y < classes; y++) {
            NDArray labels = x.getManager().full(new Shape(x.getShape().get(0)), y, DataType.INT32);
            per.add(logLikelihood(ps, x, labels, false));
        }
        return ArOps.logSumExp(NDArrays.stack(per, 1), 1).sub(Math.log(classes));
    }

    /**
     * Maximum likelihood: −(1/N) Σ log p(x_n | y_n), with the labels of the batch (its second array)
     * when the model is class-conditional. Terms: {@code loss} (nats per image) and {@code bitsPerDim}.
     *
     * @return the objective for {@code ObjectiveStep}
     */
    public Objective objective() {
        long dims = (long) spec.config().height() * spec.config().width();
        boolean conditional = spec.config().classes() > 0;
        return Objective.of(pixelCnn, (context, batch) -> {
            NDArray labels = conditional ? batch.get(1).toType(DataType.INT32, false) : null;
            NDArray nll = logLikelihood(context.parameters(), batch.head(), labels, context.training()).mean().neg();
            NDArray bpd = Likelihoods.bitsPerDim(nll.neg().reshape(1), dims, 1.0).reshape();
            return new LossTerms(nll, Map.of("bitsPerDim", bpd));
        });
    }

    /**
     * Draws samples pixel by pixel in raster order, the gated architecture with {@link PixelCnnSampler#PIXEL_CACHED},
     * the masked one with {@link PixelCnnSampler#BANDED}.
     */
    @Override
    public NDArray sample(NDManager manager, int n, SampleOptions options) {
        return sample(manager, n, options, spec.config().architecture() == PixelCnnConfig.Architecture.GATED
                ? PixelCnnSampler.PIXEL_CACHED : PixelCnnSampler.BANDED);
    }

    /**
     * Draws samples pixel by pixel in raster order.
     *
     * @param manager owns the result
     * @param n how many, at least 1
     * @param options temperature and label
     * @param banded run the network on the band of rows a pixel can see (true) or on the whole image
     *     (false, the naive sampler)
     * @return (n, 1, H, W) in [0, 1]
     */
    public NDArray sample(NDManager manager, int n, SampleOptions options, boolean banded) {
        return sample(manager, n, options, banded ? PixelCnnSampler.BANDED : PixelCnnSampler.NAIVE);
    }

    /**
     * Draws samples pixel by pixel in raster order.
     *
     * @param manager owns the result
     * @param n how many, at least 1
     * @param options temperature and label
     * @param sampler how each pixel's conditional is computed
     * @return (n, 1, H, W) in [0, 1]
     * @throws IllegalArgumentException for {@link PixelCnnSampler#ROW_CACHED} or {@link PixelCnnSampler#PIXEL_CACHED}
     *     with the masked architecture
     */
    public NDArray sample(NDManager manager, int n, SampleOptions options, PixelCnnSampler sampler) {
        Objects.requireNonNull(sampler, "sampler");
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        PixelCnnConfig c = spec.config();
        boolean cached = sampler == PixelCnnSampler.ROW_CACHED || sampler == PixelCnnSampler.PIXEL_CACHED;
        if (cached && c.architecture() != PixelCnnConfig.Architecture.GATED) {
            throw new IllegalArgumentException("the " + sampler + " sampler needs the gated architecture, got "
                    + c.architecture());
        }
        int height = c.height();
        int width = c.width();
        int[] labels = c.classes() > 0 ? options.labels(n, c.classes()) : null;
        // the image stays on the device: each pixel's draw is written into it in place, nothing is read back
        NDArray x = manager.zeros(new Shape(n, 1, height, width), DataType.FLOAT32);
        try {
            try (NDManager sampling = manager.newSubManager()) {
                ParameterStore ps = new ParameterStore(sampling, false);
                PixelCnn.RowSampler rows = cached ? pixelCnn.rowSampler(ps, sampling) : null;
                if (sampler == PixelCnnSampler.PIXEL_CACHED) {
                    samplePixelCached(rows, sampling, x, labels, options.temperature());
                    return x;
                }
                for (int i = 0; i < height; i++) {
                    StopSignal.throwIfRequested(); // a safe point: Ctrl-C under the CLI stops here
                    if (rows != null) {
                        sampleRowCached(rows, sampling, x, i, labels, options.temperature());
                        continue;
                    }
                    int from = sampler == PixelCnnSampler.BANDED ? Math.max(0, i - c.rowsAbove()) : 0;
                    int to = sampler == PixelCnnSampler.BANDED ? i + 1 : height;
                    NDIndex band = new NDIndex(":, :, {}:{}, :", from, to);
                    for (int j = 0; j < width; j++) {
                        try (NDManager scope = sampling.newSubManager()) {
                            NDArray in = x.get(band);
                            in.attach(scope);
                            NDArray y = labels == null ? null : scope.create(labels);
                            NDArray params = pixelCnn.conditionals(ps, in, y, false)
                                    .get(new NDIndex(":, :, {}, {}", i - from, j));
                            x.set(new NDIndex(":, 0, {}, {}", i, j), c.output().sample(params, options.temperature()));
                        }
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            x.close(); // a stop or a failure: no half-drawn images left in the caller's manager
            throw e;
        }
        return x;
    }

    /**
     * Draws row i of the images in place by {@link PixelCnnSampler#ROW_CACHED}: the vertical stack once on the rows
     * above it, then its pixels left to right, each from the horizontal stack and the head on that row. {@link
     * #sample(NDManager, int, SampleOptions, PixelCnnSampler)} calls it for every row; {@code gen4j bench} times it
     * on the last row.
     *
     * @param rows {@link PixelCnn#rowSampler} of this model's network
     * @param sampling the manager whose sub-managers hold the row's scratch arrays
     * @param x the images (N, 1, H, W) in [0, 1]; rows above i already drawn
     * @param i the row
     * @param labels one label per image, or null for an unconditional model
     * @param temperature the output's sampling temperature
     */
    public void sampleRowCached(PixelCnn.RowSampler rows, NDManager sampling, NDArray x, int i, int[] labels,
            double temperature) {
        PixelCnnConfig c = spec.config();
        try (NDManager rowScope = sampling.newSubManager()) {
            NDArray y = labels == null ? null : rowScope.create(labels);
            NDArray above = null;
            if (i > 0) {
                above = x.get(new NDIndex(":, :, {}:{}, :", Math.max(0, i - c.rowsAbove()), i));
                above.attach(rowScope);
            }
            NDList context = rows.context(above, (int) x.getShape().get(0), y, rowScope);
            NDIndex row = new NDIndex(":, :, {}:{}, :", i, i + 1);
            for (int j = 0; j < c.width(); j++) {
                try (NDManager scope = rowScope.newSubManager()) {
                    NDArray in = x.get(row);
                    in.attach(scope);
                    NDArray params = rows.conditionals(in, context, y).get(new NDIndex(":, :, 0, {}", j));
                    x.set(new NDIndex(":, 0, {}, {}", i, j), c.output().sample(params, temperature));
                }
            }
        }
    }

    /**
     * Draws the images in place by {@link PixelCnnSampler#PIXEL_CACHED}: row by row, the vertical stack on the row
     * just drawn only ({@link PixelCnn.RowSampler.VerticalSteps}), then the row's pixels left to right, each from the
     * horizontal stack at its own column fed by the activations kept from the pixels before it ({@link
     * PixelCnn.PixelSteps}).
     */
    private void samplePixelCached(PixelCnn.RowSampler rows, NDManager sampling, NDArray x, int[] labels,
            double temperature) {
        PixelCnnConfig c = spec.config();
        NDArray y = labels == null ? null : sampling.create(labels);
        PixelCnn.RowSampler.VerticalSteps vertical = rows.vertical((int) x.getShape().get(0), y, sampling);
        NDManager kept = sampling.newSubManager();
        NDArray previous = null;
        for (int i = 0; i < c.height(); i++) {
            StopSignal.throwIfRequested(); // a safe point: Ctrl-C under the CLI stops here
            NDManager rowScope = sampling.newSubManager();
            PixelCnn.PixelSteps pixels = rows.pixels(vertical.next(previous, rowScope), y, rowScope);
            for (int j = 0; j < c.width(); j++) {
                try (NDManager scope = rowScope.newSubManager()) {
                    pixels.drawn(c.output().sample(pixels.conditionals(scope), temperature));
                }
            }
            // the row is written once, when drawn; the next row's vertical step reads it from here, not from x
            NDArray drawn = pixels.row(rowScope);
            x.set(new NDIndex(":, :, {}:{}, :", i, i + 1), drawn);
            drawn.attach(kept);
            rowScope.close();
            if (previous != null) {
                previous.close();
            }
            previous = drawn;
        }
        kept.close();
    }
}
