package io.gen4j.core.io;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a {@code Block.saveParameters} stream into an initialized block, checked: DJL's {@code
 * loadParameters} accepts arrays of any shape, so a stream of another architecture would load
 * silently; here every parameter must keep the shape the block was built with. Trainable
 * parameters get gradients again and the replaced arrays are closed.
 */
final class BlockParameters {

    private BlockParameters() {}

    /**
     * @param block the initialized block
     * @param bytes the saved parameters
     * @param what how to name the block in errors, e.g. {@code block 'unet' of step-10.ckpt}
     * @throws IOException when the stream is malformed or a parameter's shape differs
     */
    static void load(Block block, byte[] bytes, String what) throws IOException {
        List<NDArray> old = new ArrayList<>();
        List<Shape> shapes = new ArrayList<>();
        NDManager manager = null;
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray a = p.getValue().getArray();
            old.add(a);
            shapes.add(a.getShape());
            if (manager == null) {
                manager = a.getManager();
            }
        }
        if (manager == null) {
            throw new IOException(what + " has no initialized parameter");
        }
        try {
            block.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes)));
        } catch (MalformedModelException | RuntimeException e) {
            throw new IOException(what + " does not fit the saved parameters: " + e.getMessage(), e);
        }
        int i = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray a = p.getValue().getArray();
            if (!a.getShape().equals(shapes.get(i))) {
                throw new IOException(what + " does not fit the saved parameters: " + p.getKey()
                        + " was saved with shape " + a.getShape() + ", the block has " + shapes.get(i));
            }
            if (p.getValue().requiresGradient()) {
                a.setRequiresGradient(true);
            }
            if (old.get(i) != a) {
                old.get(i).close();
            }
            i++;
        }
    }
}
