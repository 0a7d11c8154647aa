package io.gen4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ExecutorRuntimeTest {

    @Test
    void aTaskThreadCanUpdateAParameterInPlaceAndTheEngineStartsOnce() throws Exception {
        ExecutorRuntime.start(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // A fresh thread, as a Spark task gets: PyTorch's grad mode is on there until start() turns it off.
        Thread t = new Thread(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                ExecutorRuntime.start(1);
                NDArray w = m.ones(new ai.djl.ndarray.types.Shape(3));
                w.setRequiresGradient(true);
                w.subi(m.ones(new ai.djl.ndarray.types.Shape(3)).mul(0.5f)); // what an optimizer does
                assertEquals(0.5f, w.getFloat(0));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join();
        assertNull(failure.get(), () -> "in-place update on a task thread failed: " + failure.get());
        assertEquals(1, ExecutorRuntime.starts());
    }
}
