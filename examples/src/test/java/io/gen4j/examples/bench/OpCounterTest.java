package io.gen4j.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.JsonUtils;
import com.google.gson.JsonElement;
import org.junit.jupiter.api.Test;

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
}
