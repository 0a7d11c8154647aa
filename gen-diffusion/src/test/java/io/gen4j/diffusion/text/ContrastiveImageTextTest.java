package io.gen4j.diffusion.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.gen4j.core.testing.BlockChecks;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The in-project CLIP: the contrastive loss against a brute-force sum, unit embeddings, saving. */
class ContrastiveImageTextTest {

    private static final WordTokenizer TOKENIZER = WordTokenizer.of(FashionCaptions.vocabulary(),
            FashionCaptions.maxWords());
    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(13);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void infoNceEqualsTheBruteForceSum() {
        int n = 5;
        int e = 3;
        double[][] u = new double[n][e];
        double[][] v = new double[n][e];
        java.util.Random r = new java.util.Random(4);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < e; j++) {
                u[i][j] = r.nextGaussian();
                v[i][j] = r.nextGaussian();
            }
        }
        double scale = 2.5;
        double[][] logits = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < e; k++) {
                    logits[i][j] += scale * u[i][k] * v[j][k];
                }
            }
        }
        double rows = 0;
        double cols = 0;
        for (int i = 0; i < n; i++) {
            double zr = 0;
            double zc = 0;
            for (int j = 0; j < n; j++) {
                zr += Math.exp(logits[i][j]);
                zc += Math.exp(logits[j][i]);
            }
            rows += -(logits[i][i] - Math.log(zr)) / n;
            cols += -(logits[i][i] - Math.log(zc)) / n;
        }
        double expected = (rows + cols) / 2;
        double actual = ContrastiveImageText.infoNce(manager.create(u), manager.create(v),
                manager.create(scale)).getDouble();
        assertEquals(expected, actual, 1e-12);
    }

    @Test
    void embeddingsAreUnitVectorsAndSaveLoadRoundTrips() {
        TextEncoderConfig text = TextEncoderConfig.of(TOKENIZER, 16, 1, 2);
        ContrastiveImageText clip = new ContrastiveImageText(1, 8, text, 12);
        NDList tokens = TOKENIZER.encode(List.of("a bag", "a photo of a coat", ""), manager);
        Shape x = new Shape(3, 1, 16, 16);
        clip.initialize(manager, DataType.FLOAT32, x, tokens.get(0).getShape(), tokens.get(1).getShape());
        NDArray images = manager.randomUniform(-1f, 1f, x);
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray u = clip.imageEmbedding(ps, images, false);
        NDArray v = clip.textEmbedding(ps, tokens.get(0), tokens.get(1), false);
        assertEquals(new Shape(3, 12), u.getShape());
        for (float norm : u.norm(new int[] {1}).toFloatArray()) {
            assertEquals(1f, norm, 1e-5f);
        }
        for (float norm : v.norm(new int[] {1}).toFloatArray()) {
            assertEquals(1f, norm, 1e-5f);
        }
        BlockChecks.assertSaveLoadRoundTrip(manager, () -> new ContrastiveImageText(1, 8, text, 12),
                new NDList(images, tokens.get(0).toType(DataType.FLOAT32, false), tokens.get(1)));
        assertTrue(clip.objective().network() == clip);
    }
}
