package io.gen4j.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.initializer.Initializer;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The store that detaches the other players' parameters: values, gradients (closed form), memory. */
class DetachingParameterStoreTest {

    private static Parameter parameter(NDManager m, String name, float[] values) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT)
                .optInitializer(Initializer.ZEROS).build();
        p.setShape(new Shape(values.length));
        p.initialize(m, DataType.FLOAT32);
        m.create(values).copyTo(p.getArray());
        return p;
    }

    @Test
    void detachedParametersGetNoGradientAndTheOthersTheirOwn() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Parameter own = parameter(m, "own", new float[] {1f, -2f, 3f});
            Parameter other = parameter(m, "other", new float[] {0.5f, 4f, -1f});
            Parameter frozen = Parameter.builder().setName("running").setType(Parameter.Type.RUNNING_MEAN)
                    .optInitializer(Initializer.ZEROS).optRequiresGrad(false).build();
            frozen.setShape(new Shape(3));
            frozen.initialize(m, DataType.FLOAT32);
            Set<Parameter> detach = Collections.newSetFromMap(new IdentityHashMap<>());
            detach.add(other);
            detach.add(frozen);
            int arrays = m.getManagedArrays().size();
            try (NDManager step = m.newSubManager()) {
                DetachingParameterStore store = new DetachingParameterStore(step, detach);
                NDArray x = step.create(new float[] {2f, 1f, -3f});
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray w = store.getValue(own, Device.cpu(), true);
                    NDArray v = store.getValue(other, Device.cpu(), true);
                    assertSame(own.getArray(), w, "an own parameter is handed out as it is");
                    assertSame(frozen.getArray(), store.getValue(frozen, Device.cpu(), true),
                            "a parameter without a gradient needs no view");
                    assertTrue(w.hasGradient());
                    assertFalse(v.hasGradient());
                    assertArrayEquals(other.getArray().toFloatArray(), v.toFloatArray());
                    // L = Σ w·v·x: ∂L/∂w = v·x; v contributes no gradient
                    gc.backward(x.mul(w).mul(v).sum()); // x first: the results land in the step's manager
                }
            }
            assertEquals(arrays, m.getManagedArrays().size(), "a view stayed in the parameters' manager");
            try (NDArray ownGradient = own.getArray().getGradient();
                    NDArray otherGradient = other.getArray().getGradient()) {
                assertArrayEquals(new float[] {1f, 4f, 3f}, ownGradient.toFloatArray(), 0f);
                assertArrayEquals(new float[] {0f, 0f, 0f}, otherGradient.toFloatArray(), 0f);
            }
        }
    }

    @Test
    void inPlaceUpdatesThroughAViewReachTheParameter() {
        // batch normalisation updates its running statistics in place in the forward pass: through a detached
        // view, the update must land in the parameter (the same memory)
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Parameter p = parameter(m, "p", new float[] {1f, 2f});
            Set<Parameter> detach = Collections.newSetFromMap(new IdentityHashMap<>());
            detach.add(p);
            try (NDManager step = m.newSubManager()) {
                NDArray view = new DetachingParameterStore(step, detach).getValue(p, Device.cpu(), true);
                view.addi(10f);
            }
            assertArrayEquals(new float[] {11f, 12f}, p.getArray().toFloatArray(), 0f);
        }
    }
}
