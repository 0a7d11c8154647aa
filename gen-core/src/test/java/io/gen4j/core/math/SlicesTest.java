package io.gen4j.core.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.util.JsonUtils;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlicesTest {

    /** x[n, c, h, w] = 1000n + 100c + 10h + w: every element names its own index. */
    private static NDArray indexed(NDManager m, int n, int c, int h, int w) {
        float[] v = new float[n * c * h * w];
        int i = 0;
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < c; b++) {
                for (int d = 0; d < h; d++) {
                    for (int e = 0; e < w; e++) {
                        v[i++] = 1000 * a + 100 * b + 10 * d + e;
                    }
                }
            }
        }
        return m.create(v, new Shape(n, c, h, w));
    }

    @Test
    void rangeKeepsExactlyTheIndicesAsked() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = indexed(m, 2, 3, 5, 6);
            NDArray crop = Slices.range(x, 2, new long[] {1, 2}, new long[] {4, 5});
            assertEquals(new Shape(2, 3, 3, 3), crop.getShape());
            float[] got = crop.toFloatArray();
            int i = 0;
            for (int a = 0; a < 2; a++) {
                for (int b = 0; b < 3; b++) {
                    for (int d = 1; d < 4; d++) {
                        for (int e = 2; e < 5; e++) {
                            assertEquals(1000 * a + 100 * b + 10 * d + e, got[i++], 0f);
                        }
                    }
                }
            }
            NDArray channels = Slices.narrow(x, 1, 1, 3);
            assertEquals(new Shape(2, 2, 5, 6), channels.getShape());
            assertEquals(1000 + 100 * 2 + 10 * 4 + 5, channels.get(1, 1, 4, 5).getFloat(), 0f);
            NDArray whole = Slices.narrow(x, 0, 0, 2);
            assertArrayEquals(x.toFloatArray(), whole.toFloatArray(), 0f);
        }
    }

    @Test
    void gradientIsTheIndicatorOfTheWindow() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = indexed(m, 2, 3, 5, 6);
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                // d/dx of sum(crop ⊙ crop) = 2x inside the window, 0 outside
                NDArray crop = Slices.range(Slices.narrow(x, 1, 1, 2), 2, new long[] {1, 2}, new long[] {4, 5});
                gc.backward(crop.mul(crop).sum());
            }
            float[] g = x.getGradient().toFloatArray();
            float[] v = x.toFloatArray();
            int i = 0;
            for (int a = 0; a < 2; a++) {
                for (int b = 0; b < 3; b++) {
                    for (int d = 0; d < 5; d++) {
                        for (int e = 0; e < 6; e++, i++) {
                            boolean inside = b == 1 && d >= 1 && d < 4 && e >= 2 && e < 5;
                            assertEquals(inside ? 2 * v[i] : 0f, g[i], 0f, "at " + a + "," + b + "," + d + "," + e);
                        }
                    }
                }
            }
        }
    }

    @Test
    void outOfRangeIsRejected() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.zeros(new Shape(2, 3, 4), DataType.FLOAT32);
            assertThrows(IllegalArgumentException.class, () -> Slices.narrow(x, 1, 2, 4));
            assertThrows(IllegalArgumentException.class, () -> Slices.narrow(x, 1, 2, 1));
            assertThrows(IllegalArgumentException.class, () -> Slices.narrow(x, 3, 0, 1));
            assertThrows(IllegalArgumentException.class, () -> Slices.range(x, 2, new long[] {0, 0}, new long[] {1, 1}));
        }
    }

    /**
     * The reason for the class: the backward pass runs one {@code slice_backward} per sliced axis, while DJL's
     * {@code get(":, :, a:b, c:d")} runs one per axis (checked here too, so that the test notices when a DJL
     * release starts skipping open slices and the class is no longer needed).
     */
    @Test
    void backwardSlicesOnlyTheAxesAsked(@TempDir Path dir) throws IOException {
        assertEquals(2, sliceBackwards(dir.resolve("slices.json"),
                x -> Slices.range(x, 2, new long[] {1, 1}, new long[] {4, 4})));
        assertEquals(1, sliceBackwards(dir.resolve("narrow.json"), x -> Slices.narrow(x, 1, 0, 2)));
        assertEquals(4, sliceBackwards(dir.resolve("djl.json"), x -> x.get(":, :, 1:4, 1:4")));
    }

    private static int sliceBackwards(Path trace, Function<NDArray, NDArray> crop) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(2, 3, 5, 5));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = crop.apply(x).sum();
                JniUtils.startProfile(false, false, false);
                try {
                    gc.backward(loss);
                } finally {
                    JniUtils.stopProfile(trace.toString());
                }
            }
        }
        JsonElement json;
        try (Reader in = Files.newBufferedReader(trace)) {
            json = JsonUtils.GSON.fromJson(in, JsonElement.class);
        }
        JsonArray events = json.isJsonArray() ? json.getAsJsonArray()
                : json.getAsJsonObject().getAsJsonArray("traceEvents");
        int count = 0;
        for (JsonElement e : events) {
            if (e.isJsonObject() && e.getAsJsonObject().has("name")
                    && "aten::slice_backward".equals(e.getAsJsonObject().get("name").getAsString())) {
                count++;
            }
        }
        return count;
    }
}
