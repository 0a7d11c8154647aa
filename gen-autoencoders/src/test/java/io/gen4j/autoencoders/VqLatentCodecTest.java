package io.gen4j.autoencoders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.data.PixelRange;
import io.gen4j.core.io.ModelStore;
import io.gen4j.core.model.DataSpec;
import io.gen4j.core.model.LatentCodec;
import io.gen4j.core.testing.ModelChecks;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The VQ-VAE as the codec of latent diffusion: continuous encode, quantise-then-decode, scale, save/load. */
class VqLatentCodecTest {

    private static final DataSpec DATA = DataSpec.image(1, 16, 16, PixelRange.MINUS_ONE_ONE);

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager(ai.djl.Device.cpu());
        Engine.getInstance().setRandomSeed(23);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private static VqLatentCodecSpec spec(double scale) {
        return new VqLatentCodecSpec(new VqVaeSpec(NetworkSpec.convFeature(16), NetworkSpec.convFeature(16),
                VectorQuantizerConfig.defaults(8, 4), ReconstructionLoss.MSE, DATA), scale);
    }

    @Test
    void encodeIsTheScaledEncoderOutputAndDecodeSnapsToTheNearestCode() {
        VqLatentCodec codec = VqLatentCodec.create(spec(0.5), manager);
        NDArray x = manager.randomUniform(-1f, 1f, new Shape(3, 1, 16, 16));
        NDArray z = codec.encode(x);
        assertEquals(new Shape(4, 4, 4), codec.latentShape());
        assertEquals(new Shape(3, 4, 4, 4), z.getShape());
        assertArrayEquals(codec.encodeRaw(x).toFloatArray(),
                z.div(manager.create(0.5f)).toFloatArray(), 1e-6f);
        // brute force: per position, the codebook row nearest to z/s
        float[] book = codec.network().quantizer().codebook().toFloatArray();   // (K, D)
        int k = 8;
        int d = 4;
        NDArray probe = manager.randomNormal(new Shape(2, 4, 4, 4));
        float[] zs = probe.div(manager.create(0.5f)).toFloatArray();          // (N, D, h, w)
        float[] q = codec.quantize(probe).toFloatArray();
        for (int n = 0; n < 2; n++) {
            for (int p = 0; p < 16; p++) {
                int best = -1;
                double bestDistance = Double.POSITIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    double dist = 0;
                    for (int j = 0; j < d; j++) {
                        double diff = zs[(n * d + j) * 16 + p] - book[c * d + j];
                        dist += diff * diff;
                    }
                    if (dist < bestDistance) {
                        bestDistance = dist;
                        best = c;
                    }
                }
                for (int j = 0; j < d; j++) {
                    assertEquals(book[best * d + j], q[(n * d + j) * 16 + p], 1e-6f);
                }
            }
        }
        // decode(encode(x)) is the VQ-VAE's own reconstruction (quantise, then decode), whatever s
        VqVaeModel plain = new VqVaeModel(spec(1.0).vqVae(), codec.network());
        assertArrayEquals(plain.decode(plain.encode(x)).toFloatArray(), codec.decode(z).toFloatArray(), 1e-5f);
        // a latent and its nearest code decode to the same image
        assertArrayEquals(codec.decode(codec.quantize(probe).mul(manager.create(0.5f))).toFloatArray(),
                codec.decode(probe).toFloatArray(), 1e-5f);
        assertThrows(IllegalArgumentException.class, () -> spec(0.0));
        assertThrows(IllegalArgumentException.class, () -> spec(Double.POSITIVE_INFINITY));
    }

    @Test
    void estimatedScaleMakesEncodedDataUnitVariance() {
        VqLatentCodec codec = VqLatentCodec.create(spec(1.0), manager);
        NDArray x = manager.randomUniform(-1f, 1f, new Shape(30, 1, 16, 16));
        double s = LatentScale.estimate(codec, x, 7);
        assertEquals(LatentScale.fromLatents(codec.encodeRaw(x)), s, 1e-6 * s);
        double[] z = codec.withLatentScale(s).encode(x).toType(DataType.FLOAT64, false).toDoubleArray();
        double mean = 0;
        for (double e : z) {
            mean += e / z.length;
        }
        double variance = 0;
        for (double e : z) {
            variance += (e - mean) * (e - mean) / z.length;
        }
        assertEquals(1.0, variance, 1e-4);
    }

    @Test
    void saveLoadIsBitExactAndKeepsTheScaleAndTheCodebookAverages(@TempDir Path dir) throws Exception {
        VqLatentCodec codec = VqLatentCodec.create(spec(1.0), manager).withLatentScale(0.7);
        NDArray x = manager.randomUniform(-1f, 1f, new Shape(4, 1, 16, 16));
        for (int i = 0; i < 3; i++) { // EMA updates: the codebook averages are no longer their start
            codec.network().loss(new ParameterStore(manager, false), x, true);
        }
        ModelChecks.assertSaveLoadRoundTrip(codec, dir, (m, mgr) -> {
            LatentCodec c = (LatentCodec) m;
            NDArray z = c.encode(x);
            return z.flatten().concat(c.decode(z).flatten())
                    .concat(((VqLatentCodec) m).network().quantizer().clusterSizes().flatten());
        });
        try (NDManager other = NDManager.newBaseManager()) {
            LatentCodec loaded = ModelStore.load(dir, other, LatentCodec.class);
            assertInstanceOf(VqLatentCodec.class, loaded);
            assertEquals(0.7, ((VqLatentCodec) loaded).spec().latentScale());
        }
    }
}
