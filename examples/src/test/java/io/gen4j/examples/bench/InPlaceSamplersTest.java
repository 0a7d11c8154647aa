package io.gen4j.examples.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.sun.jna.Platform;
import io.gen4j.autoregressive.PixelCnn;
import io.gen4j.autoregressive.PixelCnnConfig;
import io.gen4j.autoregressive.PixelCnnConfig.Architecture;
import io.gen4j.autoregressive.PixelCnnModel;
import io.gen4j.autoregressive.PixelCnnSampler;
import io.gen4j.autoregressive.PixelCnnSpec;
import io.gen4j.autoregressive.PixelOutput;
import io.gen4j.autoregressive.WaveNet;
import io.gen4j.autoregressive.WaveNetConfig;
import io.gen4j.core.kernels.Kernels;
import io.gen4j.core.model.SampleOptions;
import org.junit.jupiter.api.Test;

/**
 * The samplers that write into buffers, on gen-pytorch's native in-place operations (gen-autoregressive's own tests
 * run them on the composed ones): the pixel-cached PixelCNN sampler (every pixel's conditionals are the whole
 * network's, seeded samples are the naive sampler's) and WaveNet's cached generator (seeded sequences are the naive
 * generator's, kernels 2 and 3).
 */
class InPlaceSamplersTest {

    private static PixelCnnModel model(PixelCnnConfig c, NDManager manager, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        PixelCnnModel m = PixelCnnModel.create(PixelCnnSpec.of(c), manager);
        for (Pair<String, Parameter> p : m.pixelCnn().getParameters()) {
            p.getValue().getArray().muli(2f); // sharper conditionals: samples differ if anything is wrong
        }
        return m;
    }

    private static void assumeNative(NDManager manager) {
        assumeTrue(Platform.isLinux() && Platform.ARCH.equals("x86-64"), "entry points are used on Linux x86-64 only");
        assertTrue(Kernels.forEngine("PyTorch").inPlace().takes(manager.ones(new Shape(2, 2))),
                "gen-pytorch's in-place operations must be in use here");
        assertTrue(Kernels.forEngine("PyTorch").inPlace().takes(manager.ones(new Shape(2, 2), DataType.FLOAT64)),
                "and for float64 arrays");
    }

    @Test
    void cachedWaveNetGenerationIsTheNaiveGenerationOnNativeOperations() {
        for (int kernel : new int[] {2, 3}) {
            try (NDManager manager = NDManager.newBaseManager()) {
                assumeNative(manager);
                WaveNetConfig c = new WaveNetConfig(6, 8, 3, 2, kernel, 16);
                Engine.getInstance().setRandomSeed(7);
                WaveNet net = new WaveNet(c);
                net.initialize(manager, DataType.FLOAT64, new Shape(1, c.classes(), 1));
                ParameterStore ps = new ParameterStore(manager, false);
                Engine.getInstance().setRandomSeed(9);
                int[] cached = net.generate(ps, manager, 3, 70, 1.0, true, DataType.FLOAT64).toIntArray();
                Engine.getInstance().setRandomSeed(9);
                int[] naive = net.generate(ps, manager, 3, 70, 1.0, false, DataType.FLOAT64).toIntArray();
                assertArrayEquals(naive, cached, "kernel " + kernel);
                assertTrue(java.util.Arrays.stream(cached).distinct().count() > 3, "not a constant sequence");
            }
        }
    }

    @Test
    void pixelConditionalsAreTheWholeNetworksOnNativeOperations() {
        try (NDManager manager = NDManager.newBaseManager()) {
            assumeNative(manager);
            PixelCnnConfig c = new PixelCnnConfig(5, 6, Architecture.GATED, 8, 2, 5, 3, PixelOutput.BERNOULLI, 1, 3);
            PixelCnnModel m = model(c, manager, 41);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray x = manager.randomUniform(0f, 1f, new Shape(2, 1, 5, 6));
            NDArray labels = manager.create(new int[] {2, 0});
            float[] whole = m.pixelCnn().conditionals(ps, x, labels, false).toFloatArray();
            PixelCnn.RowSampler rows = m.pixelCnn().rowSampler(ps, manager);
            for (int i = 0; i < 5; i++) {
                NDArray above = i == 0 ? null : x.get(new NDIndex(":, :, {}:{}, :", Math.max(0, i - c.rowsAbove()), i));
                PixelCnn.PixelSteps steps = rows.pixels(rows.context(above, 2, labels, manager), labels, manager);
                for (int j = 0; j < 6; j++) {
                    float[] got = steps.conditionals(manager).toFloatArray();
                    for (int n = 0; n < 2; n++) {
                        float want = whole[(n * 5 + i) * 6 + j];
                        assertEquals(want, got[n], 1e-5 * Math.max(1, Math.abs(want)),
                                "row " + i + ", pixel " + j + ", image " + n);
                    }
                    steps.drawn(x.get(new NDIndex(":, 0, {}, {}", i, j)));
                }
            }
        }
    }

    @Test
    void pixelCachedSamplesAreTheNaiveSamplersOnNativeOperations() {
        try (NDManager manager = NDManager.newBaseManager()) {
            assumeNative(manager);
            PixelCnnConfig c = new PixelCnnConfig(4, 5, Architecture.GATED, 8, 2, 7, 5, PixelOutput.LOGISTIC_MIXTURE,
                    2, 0);
            PixelCnnModel m = model(c, manager, 42);
            Engine.getInstance().setRandomSeed(80);
            float[] naive = m.sample(manager, 3, SampleOptions.defaults(), PixelCnnSampler.NAIVE).toFloatArray();
            Engine.getInstance().setRandomSeed(80);
            float[] pixel = m.sample(manager, 3, SampleOptions.defaults(), PixelCnnSampler.PIXEL_CACHED).toFloatArray();
            assertArrayEquals(naive, pixel);
        }
    }
}
