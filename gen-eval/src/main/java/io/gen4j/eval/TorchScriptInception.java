package io.gen4j.eval;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.gen4j.core.math.Scalars;
import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Inception-v3 of the FID literature, loaded from the user-supplied TorchScript file
 * {@code inception-2015-12-05.pt} that clean-fid and StyleGAN2-ADA use (a TorchScript translation of
 * the 2015 TensorFlow graph of Szegedy et al. 2016, the one Heusel et al. used for FID).
 *
 * <p>The file's method is
 * {@code forward(img, return_features=False, use_fp16=False, no_output_bias=False)}: {@code img} is
 * NCHW RGB with values in [0, 255] (the network resizes to 299×299 itself, emulating TensorFlow's
 * bilinear resize); {@code return_features=True} gives the 2048-d pool features used by FID, KID and
 * precision/recall; otherwise the result is the 1008-way softmax, and {@code no_output_bias=True}
 * drops the output bias as the original Inception Score code did. This class feeds it
 * round(255·x) of the [0, 1] input, grayscale replicated to three channels, in float32.
 *
 * <p>Engine: the file is TorchScript, so the PyTorch engine must be on the runtime classpath. The
 * keyword arguments are passed through the engine's own {@code PtSymbolBlock.forward(IValue...)},
 * reached by reflection so that this library keeps compiling against {@code ai.djl:api} only.
 * Inception-v3's convolutions all have fewer than 16 or a multiple of 16 input channels, the shapes
 * that are computed correctly on CPUs with the oneDNN defect of docs/known-issues.md §1.
 */
public final class TorchScriptInception implements FeatureExtractor {

    /** Name used in metric names: {@code FID-inception-v3}. */
    public static final String NAME = "inception-v3";

    /** Pool feature dimension of the real network. */
    public static final int FEATURE_DIM = 2048;

    /** Output classes of the real network (1000 ImageNet classes + 8 unused). */
    public static final int NUM_CLASSES = 1008;

    private static final Logger LOGGER = LoggerFactory.getLogger(TorchScriptInception.class);

    private final Model model;
    private final ExtractorInfo info;
    private final ScriptCall call;

    private TorchScriptInception(Model model, ExtractorInfo info) {
        this.model = model;
        this.info = info;
        this.call = new ScriptCall(model.getBlock());
    }

    /**
     * Loads the TorchScript file.
     *
     * @param file path of {@code inception-2015-12-05.pt} (or a file with the same forward signature)
     * @return the extractor; close it to release the network
     * @throws IOException when the file is missing or unreadable
     */
    public static TorchScriptInception load(Path file) throws IOException {
        return load(file, NAME, FEATURE_DIM, NUM_CLASSES);
    }

    /**
     * Loads a TorchScript file with the Inception forward signature but other output sizes or name.
     *
     * @param file the TorchScript file
     * @param name extractor name for metric names
     * @param featureDim feature dimension the file returns
     * @param numClasses number of classes the file returns
     * @return the extractor
     * @throws IOException when the file is missing, unreadable or not TorchScript
     */
    public static TorchScriptInception load(Path file, String name, int featureDim, int numClasses)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("Inception TorchScript file not found: " + file.toAbsolutePath()
                    + " (download inception-2015-12-05.pt as used by clean-fid / StyleGAN2-ADA)");
        }
        String hash = Hashes.sha256(file);
        Model model = Model.newInstance(name, "PyTorch");
        try {
            String fileName = file.getFileName().toString();
            String prefix = fileName.endsWith(".pt") ? fileName.substring(0, fileName.length() - 3) : fileName;
            model.load(file.toAbsolutePath().getParent(), prefix);
        } catch (MalformedModelException | RuntimeException e) {
            model.close();
            throw new IOException("cannot load TorchScript from " + file + ": " + e.getMessage(), e);
        }
        LOGGER.info("loaded {} from {} (sha256 {})", name, file, hash);
        String preprocessing = "x in [0,1] -> round(255x) clipped to [0,255], grayscale replicated to RGB, "
                + "float32 NCHW; network resizes to 299x299 internally";
        return new TorchScriptInception(model, new ExtractorInfo(name, hash, preprocessing, featureDim, numClasses));
    }

    @Override
    public ExtractorInfo info() {
        return info;
    }

    @Override
    public NDArray features(NDArray images) {
        return run(images, true, false);
    }

    @Override
    public NDArray classProbabilities(NDArray images) {
        return run(images, false, true);
    }

    private NDArray run(NDArray images, boolean returnFeatures, boolean noOutputBias) {
        NDManager target = images.getManager();
        try (NDManager scope = target.newSubManager()) {
            NDArray copy = images.toType(DataType.FLOAT32, true);
            copy.attach(scope);
            NDArray input = toByteRangeRgb(copy);
            NDArray out = call.forward(input, returnFeatures, noOutputBias);
            out.attach(target);
            return out;
        }
    }

    /**
     * Quantises [0, 1] images to integer values in [0, 255] and replicates grayscale to RGB.
     *
     * @param images (N, C, H, W), C in {1, 3}
     * @return float32 (N, 3, H, W) in the manager of the input
     */
    static NDArray toByteRangeRgb(NDArray images) {
        Shape shape = images.getShape();
        if (shape.dimension() != 4 || (shape.get(1) != 1 && shape.get(1) != 3)) {
            throw new IllegalArgumentException("images must have shape (N, 1|3, H, W), got " + shape);
        }
        NDArray x = Scalars.clip(Scalars.times(images.toType(DataType.FLOAT32, false), 255f).round(), 0f, 255f);
        if (shape.get(1) == 1) {
            x = x.repeat(1, 3);
        }
        return x;
    }

    @Override
    public void close() {
        model.close();
    }

    /** Calls the TorchScript forward with its boolean keyword arguments through the PyTorch engine. */
    private static final class ScriptCall {
        private final Block block;
        private final Method fromArray;
        private final Method fromBoolean;
        private final Method forward;
        private final Method toTensor;
        private final Method closeValue;

        ScriptCall(Block block) {
            this.block = block;
            try {
                Class<?> iValue = Class.forName("ai.djl.pytorch.jni.IValue");
                Class<?> ptArray = Class.forName("ai.djl.pytorch.engine.PtNDArray");
                Class<?> ptManager = Class.forName("ai.djl.pytorch.engine.PtNDManager");
                fromArray = iValue.getMethod("from", ptArray);
                fromBoolean = iValue.getMethod("from", boolean.class);
                forward = block.getClass().getMethod("forward", Array.newInstance(iValue, 0).getClass());
                toTensor = iValue.getMethod("toTensor", ptManager);
                closeValue = iValue.getMethod("close");
            } catch (ClassNotFoundException | NoSuchMethodException e) {
                throw new IllegalStateException("TorchScript feature extraction needs the DJL PyTorch engine "
                        + "(ai.djl.pytorch:pytorch-engine) on the classpath; block is " + block.getClass(), e);
            }
        }

        NDArray forward(NDArray input, boolean returnFeatures, boolean noOutputBias) {
            Object[] args = (Object[]) Array.newInstance(fromArray.getReturnType(), 4);
            Object result = null;
            try {
                args[0] = fromArray.invoke(null, input);
                args[1] = fromBoolean.invoke(null, returnFeatures);
                args[2] = fromBoolean.invoke(null, false);
                args[3] = fromBoolean.invoke(null, noOutputBias);
                result = forward.invoke(block, (Object) args);
                return (NDArray) toTensor.invoke(result, input.getManager());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot call the TorchScript forward", e);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                throw cause instanceof RuntimeException re ? re
                        : new IllegalStateException("TorchScript forward failed", cause);
            } finally {
                for (Object arg : args) {
                    closeQuietly(arg);
                }
                closeQuietly(result);
            }
        }

        private void closeQuietly(Object value) {
            if (value != null) {
                try {
                    closeValue.invoke(value);
                } catch (IllegalAccessException | InvocationTargetException e) {
                    LOGGER.warn("could not close a TorchScript value", e);
                }
            }
        }
    }
}
