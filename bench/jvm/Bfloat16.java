import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Reproduces why gen4j's bfloat16 path ({@code Autocast}) cannot use DJL 0.36's own conversion: converting a
 * float32 array to {@code BFLOAT16} ({@code toType}), or creating one ({@code zeros(shape, BFLOAT16)}), ends the
 * process in libtorch's {@code terminate} ("terminate called without an active exception"), where {@code FLOAT16}
 * works. gen-pytorch converts through libtorch's {@code to_dtype} entry point instead. Not part of the build:
 *
 * <pre>
 *   javac -cp examples/target/gen4j-examples-*-cli.jar -d /tmp/bf bench/jvm/Bfloat16.java
 *   java -cp examples/target/gen4j-examples-*-cli.jar:/tmp/bf Bfloat16 FLOAT16      # prints a product
 *   java -cp examples/target/gen4j-examples-*-cli.jar:/tmp/bf Bfloat16 BFLOAT16     # the JVM aborts
 *   java -cp examples/target/gen4j-examples-*-cli.jar:/tmp/bf Bfloat16 BFLOAT16 zeros
 * </pre>
 */
public class Bfloat16 {
    public static void main(String[] args) {
        Engine.getInstance();
        try (NDManager m = NDManager.newBaseManager()) {
            DataType type = DataType.valueOf(args[0]);
            System.out.println("making a " + type + " array");
            NDArray y = args.length > 1 ? m.zeros(new Shape(4, 4), type)
                    : m.randomNormal(new Shape(4, 4)).toType(type, true);
            System.out.println("made " + y.getDataType() + "; its product:");
            System.out.println(y.matMul(y).toType(DataType.FLOAT32, true));
        }
    }
}
