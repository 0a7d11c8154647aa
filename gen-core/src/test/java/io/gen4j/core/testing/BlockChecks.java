package io.gen4j.core.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Assertions for blocks: the parameter save/load round trip and the native-memory leak checks of
 * docs/memory.md (gen4j's test kit, in gen-core's test-jar).
 *
 * <ul>
 *   <li>{@link #assertSaveLoadRoundTrip} proves that every number the block computes with is a
 *       registered parameter: {@code saveParameters}, then {@code loadParameters} into a freshly
 *       built block, gives bit-identical outputs. A block that keeps state outside its parameters
 *       (a buffer made in the constructor, a random mask) fails here.
 *   <li>{@link #assertForwardDoesNotGrowModelManager} proves that forward and backward passes leave
 *       nothing in the manager that owns the parameters (rule 1 of docs/memory.md: an op whose
 *       first operand is a parameter puts its result there, and a training run then grows by
 *       megabytes per step).
 *   <li>{@link #countManagedArrays} is the counter behind every loop's leak test: count before and
 *       after N steps, sampler iterations or evaluations and assert it did not grow.
 * </ul>
 *
 * <pre>{@code
 * try (NDManager model = NDManager.newBaseManager(); NDManager data = NDManager.newBaseManager()) {
 *     NDList x = new NDList(data.randomNormal(new Shape(4, 8)));
 *     BlockChecks.assertSaveLoadRoundTrip(model, () -> new MyBlock(16), x);
 *     BlockChecks.assertForwardDoesNotGrowModelManager(model, new MyBlock(16), x);
 *     int before = BlockChecks.countManagedArrays(data);
 *     // ... run 100 steps of your loop, each in a data.newSubManager() scope ...
 *     assertEquals(before, BlockChecks.countManagedArrays(data));
 * }
 * }</pre>
 */
public final class BlockChecks {

    private BlockChecks() {}

    /**
     * Saves an initialised block's parameters, loads them into a freshly built and initialised block,
     * and checks that both give bit-identical outputs on {@code inputs} (inference mode).
     *
     * @param manager the manager
     * @param factory builds a fresh, uninitialised block of the same configuration
     * @param inputs float32 inputs
     */
    public static void assertSaveLoadRoundTrip(NDManager manager, Supplier<Block> factory, NDList inputs) {
        Block a = factory.get();
        a.initialize(manager, DataType.FLOAT32, inputs.getShapes());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream os = new DataOutputStream(bytes)) {
            a.saveParameters(os);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Block b = factory.get();
        b.initialize(manager, DataType.FLOAT32, inputs.getShapes());
        try (DataInputStream is = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            b.loadParameters(manager, is);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MalformedModelException e) {
            throw new IllegalStateException(e);
        }
        ParameterStore ps = new ParameterStore(manager, false);
        NDArray ya = a.forward(ps, inputs, false).head();
        NDArray yb = b.forward(ps, inputs, false).head();
        assertEquals(ya.getShape(), yb.getShape());
        assertArrayEquals(ya.toFloatArray(), yb.toFloatArray(), 0f, "outputs differ after save/load");
    }

    /**
     * Runs a forward and backward pass in a scope of the data manager, several times, and asserts that
     * the manager holding the block's parameters does not gain arrays (docs/known-issues.md §3: results of
     * ops whose first operand is a parameter land in the parameter's manager).
     *
     * @param modelManager the manager the block is initialised in
     * @param block an uninitialised block
     * @param inputs float32 inputs, owned by a manager other than {@code modelManager}
     */
    public static void assertForwardDoesNotGrowModelManager(NDManager modelManager, Block block, NDList inputs) {
        block.initialize(modelManager, DataType.FLOAT32, inputs.getShapes());
        ParameterStore ps = new ParameterStore(modelManager, false);
        assertPassesDoNotGrowModelManager(modelManager, inputs.head().getManager(), 4, scope -> {
            NDList in = new NDList();
            for (NDArray a : inputs) {
                NDArray c = a.duplicate();
                c.attach(scope);
                in.add(c);
            }
            return block.forward(ps, in, true).head().sum();
        });
    }

    /**
     * Runs {@code passes} passes, each in a new scope of the data manager under a gradient collector that takes
     * the backward of the loss the pass returns, and asserts that the model's manager holds as many arrays after
     * every pass as after the first.
     *
     * @param modelManager the manager of the parameters
     * @param dataManager the manager whose sub-managers the passes run in
     * @param passes how many passes (at least 2)
     * @param pass makes its arrays in the given scope and returns a scalar loss
     */
    public static void assertPassesDoNotGrowModelManager(NDManager modelManager, NDManager dataManager, int passes,
            Function<NDManager, NDArray> pass) {
        int before = -1;
        for (int i = 0; i < passes; i++) {
            try (NDManager scope = dataManager.newSubManager();
                    GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(pass.apply(scope));
            }
            int now = countManagedArrays(modelManager);
            if (i == 0) {
                before = now;
            } else {
                assertEquals(before, now, "the model manager gained arrays on pass " + i);
            }
        }
    }

    /**
     * Counts the arrays managed by {@code manager} and all of its descendants.
     *
     * @param manager a manager
     * @return how many open arrays it holds, recursively
     */
    public static int countManagedArrays(NDManager manager) {
        return manager.getManagedArrays().size();
    }
}
