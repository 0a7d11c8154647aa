package io.gen4j.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The TorchScript Inception path, exercised with the committed tiny stand-in of
 * {@code src/test/python/make_tiny_inception.py}: same forward signature and output shapes as
 * inception-2015-12-05.pt.
 */
class TorchScriptInceptionTest {

    static Path tinyModel() throws URISyntaxException {
        return Path.of(TorchScriptInceptionTest.class.getResource("tiny-inception.pt").toURI());
    }

    private static JsonNode expected() throws IOException {
        try (InputStream in = TorchScriptInceptionTest.class.getResourceAsStream("tiny-inception-expected.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static float[] floats(JsonNode node) {
        float[] out = new float[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) node.get(i).asDouble();
        }
        return out;
    }

    /** The fixed input of the Python script, as [0, 1] images: ((arange * 37) % 256) / 255. */
    private static NDArray fixedInput(NDManager manager) {
        float[] x = new float[2 * 3 * 8 * 8];
        for (int i = 0; i < x.length; i++) {
            x[i] = ((i * 37) % 256) / 255f;
        }
        return manager.create(x, new Shape(2, 3, 8, 8));
    }

    @Test
    void matchesPyTorchOnAFixedInputWithBothKeywordArguments() throws Exception {
        JsonNode exp = expected();
        try (NDManager manager = Managers.create();
                TorchScriptInception inception = TorchScriptInception.load(tinyModel())) {
            NDArray features = inception.features(fixedInput(manager));
            assertEquals(new Shape(2, 2048), features.getShape());
            float[] f = features.toFloatArray();
            float[] first = new float[8];
            System.arraycopy(f, 0, first, 0, 8);
            assertArrayEquals(floats(exp.get("features_first_row_first_8")), first, 1e-4f);
            assertEquals(exp.get("features_sum").asDouble(), features.toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
                    .sum().getDouble(), 1e-4 * Math.abs(exp.get("features_sum").asDouble()));

            NDArray probs = inception.classProbabilities(fixedInput(manager));
            assertEquals(new Shape(2, 1008), probs.getShape());
            float[] p = probs.toFloatArray();
            float[] firstP = new float[8];
            System.arraycopy(p, 0, firstP, 0, 8);
            assertArrayEquals(floats(exp.get("probs_no_bias_first_8")), firstP, 1e-7f);
            // with the bias the numbers differ: proves no_output_bias=True reached the script
            float[] withBias = floats(exp.get("probs_with_bias_first_8"));
            assertTrue(Math.abs(withBias[0] - firstP[0]) > 1e-6, "no_output_bias had no effect");
            assertEquals(2.0, probs.sum().getFloat(), 1e-5);
        }
    }

    @Test
    void infoRecordsTheFileHash() throws Exception {
        try (TorchScriptInception inception = TorchScriptInception.load(tinyModel())) {
            ExtractorInfo info = inception.info();
            assertEquals(Hashes.sha256(tinyModel()), info.fileHash());
            assertEquals(64, info.fileHash().length());
            assertEquals("FID-inception-v3", info.metricName("FID"));
        }
    }

    @Test
    void grayscaleIsReplicatedAndGeneratedImagesAreRoundedTo8Bits() throws Exception {
        try (NDManager manager = Managers.create();
                TorchScriptInception inception = TorchScriptInception.load(tinyModel())) {
            Random r = new Random(3);
            float[] gray = new float[4 * 1 * 6 * 6];
            for (int i = 0; i < gray.length; i++) {
                gray[i] = r.nextInt(256) / 255f;
            }
            float[] rgb = new float[4 * 3 * 6 * 6];
            float[] jittered = new float[gray.length];
            for (int n = 0; n < 4; n++) {
                for (int c = 0; c < 3; c++) {
                    System.arraycopy(gray, n * 36, rgb, (n * 3 + c) * 36, 36);
                }
            }
            for (int i = 0; i < gray.length; i++) {
                jittered[i] = gray[i] + (r.nextFloat() - 0.5f) * 0.9f / 255f; // rounds back to the same byte
            }
            float[] fromGray = inception.features(manager.create(gray, new Shape(4, 1, 6, 6))).toFloatArray();
            float[] fromRgb = inception.features(manager.create(rgb, new Shape(4, 3, 6, 6))).toFloatArray();
            float[] fromJitter = inception.features(manager.create(jittered, new Shape(4, 1, 6, 6))).toFloatArray();
            assertArrayEquals(fromRgb, fromGray, 0f);
            assertArrayEquals(fromGray, fromJitter, 0f);
        }
    }

    @Test
    void extractionIsIndependentOfBatchSize() throws Exception {
        Random r = new Random(5);
        byte[] pixels = new byte[13 * 3 * 10 * 10];
        r.nextBytes(pixels);
        ImageSet images = new ImageSet(13, 3, 10, 10, pixels);
        try (NDManager manager = Managers.create();
                TorchScriptInception inception = TorchScriptInception.load(tinyModel())) {
            Features one = FeatureExtraction.features(inception, images, 1, manager);
            Features four = FeatureExtraction.features(inception, images, 4, manager);
            Features all = FeatureExtraction.features(inception, images, 13, manager);
            assertEquals(13, one.count());
            assertEquals(2048, one.dim());
            assertArrayEquals(one.data(), four.data(), 1e-5);
            assertArrayEquals(one.data(), all.data(), 1e-5);
            Features p1 = FeatureExtraction.classProbabilities(inception, images, 1, manager);
            Features p5 = FeatureExtraction.classProbabilities(inception, images, 5, manager);
            assertArrayEquals(p1.data(), p5.data(), 1e-6); // float32 summation order
        }
    }

    @Test
    void doesNotLeakArraysPerBatch() throws Exception {
        byte[] pixels = new byte[8 * 3 * 8 * 8];
        new Random(1).nextBytes(pixels);
        ImageSet images = new ImageSet(8, 3, 8, 8, pixels);
        try (NDManager manager = Managers.create();
                TorchScriptInception inception = TorchScriptInception.load(tinyModel())) {
            FeatureExtraction.features(inception, images, 2, manager);
            int before = manager.getManagedArrays().size();
            FeatureExtraction.features(inception, images, 2, manager);
            FeatureExtraction.classProbabilities(inception, images, 3, manager);
            assertEquals(before, manager.getManagedArrays().size());
            // a direct call leaves exactly its result in the caller's manager
            try (NDManager caller = manager.newSubManager()) {
                NDArray x = images.batch(caller, 0, 4);
                int held = caller.getManagedArrays().size();
                inception.features(x);
                inception.classProbabilities(x);
                assertEquals(held + 2, caller.getManagedArrays().size());
            }
        }
    }

    @Test
    void missingFileNamesThePath() {
        IOException e = assertThrows(IOException.class, () -> TorchScriptInception.load(Path.of("/nonexistent/inception-2015-12-05.pt")));
        assertTrue(e.getMessage().contains("/nonexistent/inception-2015-12-05.pt"), e.getMessage());
    }
}
