package io.gen4j.core.io;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import io.gen4j.core.train.TrainingState;
import java.nio.file.Path;

/**
 * A child process for {@link CheckpointKillTest}: writes checkpoints of a 32 MB network into the
 * directory given as argument, forever, until it is killed.
 */
public final class CheckpointWriterProcess {

    private CheckpointWriterProcess() {}

    /** The network both processes build. */
    static Linear network(NDManager manager) {
        Linear lin = Linear.builder().setUnits(4096).build();
        lin.initialize(manager, DataType.FLOAT32, new Shape(1, 2048));
        return lin;
    }

    /**
     * @param args the checkpoint directory
     * @throws Exception when writing fails
     */
    public static void main(String[] args) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Linear net = network(m);
            CheckpointStore store = new CheckpointStore(Path.of(args[0]), 2,
                    TrainingState.builder().block("net", net).build(), null, 1, "{}");
            for (long step = 1; ; step++) {
                store.save(step);
            }
        }
    }
}
