package io.gen4j.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.JsonUtils;
import com.google.gson.JsonElement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpCounterTest {

    /** Two top-level calls, one with two nested calls, on thread 1; one call on thread 2. */
    @Test
    void countsTopLevelAndNestedEventsPerThread() {
        String trace = "[{\"name\":\"aten::linear\",\"ph\":\"X\",\"ts\":0,\"dur\":10,\"tid\":1},"
                + "{\"name\":\"aten::t\",\"ph\":\"X\",\"ts\":1,\"dur\":2,\"tid\":1},"
                + "{\"name\":\"aten::addmm\",\"ph\":\"X\",\"ts\":4,\"dur\":5,\"tid\":1},"
                + "{\"name\":\"aten::relu\",\"ph\":\"X\",\"ts\":10,\"dur\":3,\"tid\":1},"
                + "{\"name\":\"aten::sum\",\"ph\":\"X\",\"ts\":5,\"dur\":1,\"tid\":2},"
                + "{\"name\":\"flow\",\"ph\":\"s\",\"ts\":5,\"tid\":2}]";
        OpCounter.Counts c = OpCounter.count(JsonUtils.GSON.fromJson(trace, JsonElement.class));
        assertEquals(3, c.topLevel());
        assertEquals(5, c.total());
    }

    /** libtorch's own profiler sees the three element-wise operations issued (and nothing else is run). */
    @Test
    void profilesTheOperationsOfTheEngine() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.ones(new Shape(4, 4));
            NDArray b = m.ones(new Shape(4, 4));
            OpCounter.Counts c = OpCounter.count(() -> a.add(b).mul(b).exp());
            assertEquals(3, c.topLevel());
            assertTrue(c.total() >= 3, "total " + c.total());
        }
    }

    /** keepTraces keeps each profiled trace as PREFIX-N.json, in order, holding the operators run; null stops. */
    @Test
    void keepsTheTracesInOrder(@TempDir Path dir) throws Exception {
        String prefix = dir.resolve("t").toString();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.ones(new Shape(4, 4));
            OpCounter.keepTraces(prefix);
            OpCounter.count(() -> a.exp());
            OpCounter.count(() -> a.tanh());
            List<Path> kept = OpCounter.keptTraces();
            OpCounter.keepTraces(null);
            OpCounter.count(() -> a.exp());
            assertEquals(List.of(dir.resolve("t-1.json"), dir.resolve("t-2.json")), kept);
        }
        assertTrue(Files.readString(dir.resolve("t-1.json")).contains("aten::exp"));
        assertTrue(Files.readString(dir.resolve("t-2.json")).contains("aten::tanh"));
        // a kept trace records the input shapes: the (4, 4) input of exp
        assertTrue(Files.readString(dir.resolve("t-1.json")).replace(" ", "").contains("\"shape\":[[4,4]]"),
                "input shapes recorded");
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no trace kept after keepTraces(null)");
        }
    }
}
