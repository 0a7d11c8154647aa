package io.gen4j.core.runtime;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;

/**
 * A child-process program for {@link NativeLoggingTest}: configures libtorch's log level the way
 * {@link EngineInfo#start(Integer)} does, then calls DJL's {@code NDArray.set(Buffer)}, whose native
 * code makes libtorch print its "AutoNonVariableTypeMode is deprecated" warning to stderr once per
 * process when warnings are shown. Prints the level in force to stdout.
 */
public final class NativeLoggingProbe {

    private NativeLoggingProbe() {}

    /**
     * @param args unused
     */
    public static void main(String[] args) {
        NativeLogging.requestIfUnset(NativeLogging.Level.ERROR);
        Engine.getInstance();
        String level = NativeLogging.apply().map(Enum::name).orElse("unknown");
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.zeros(new Shape(3));
            x.set(FloatBuffer.wrap(new float[] {1, 2, 3}));
        }
        System.out.println("level " + level);
    }
}
