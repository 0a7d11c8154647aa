import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * What DJL 0.36 lets gen4j try for convolutions and matrix products besides float32 in NCHW: a channels-last
 * layout (DJL has no memory-format call, but an array stored NHWC and transposed to an NCHW view has
 * channels-last strides, which libtorch recognises) and float16. Prints the largest difference of the
 * channels-last result, the relative error of float16, and the time per call of each, 3 rounds. bfloat16 is not
 * in this program: converting an array to {@code DataType.BFLOAT16} aborts the JVM in DJL 0.36
 * (bench/jvm/Bfloat16.java). Not part of the build:
 *
 * <pre>
 *   javac -cp examples/target/gen4j-examples-*-cli.jar -d /tmp/layout bench/jvm/ConvLayout.java
 *   java -Dai.djl.pytorch.num_threads=1 -cp examples/target/gen4j-examples-*-cli.jar:/tmp/layout \
 *       ConvLayout 64 16 128     # in-channels, height = width, out-channels; batch 64, 3x3, padding 1
 * </pre>
 */
public class ConvLayout {
    static double millis(Runnable r, int n) {
        for (int i = 0; i < 5; i++) {
            r.run();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            r.run();
        }
        return (System.nanoTime() - t0) / 1e6 / n;
    }

    static NDArray conv(NDArray x, NDArray w, NDArray b) {
        Shape one = new Shape(1, 1);
        return Conv2d.conv2d(x, w, b, one, one, one, 1).singletonOrThrow();
    }

    static Runnable scoped(NDManager m, java.util.function.Supplier<NDArray> op) {
        return () -> {
            try (NDManager s = m.newSubManager()) {
                op.get().attach(s);
            }
        };
    }

    public static void main(String[] args) {
        Engine.getInstance();
        int c = Integer.parseInt(args[0]), hw = Integer.parseInt(args[1]), co = Integer.parseInt(args[2]);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(64, c, hw, hw));
            NDArray w = m.randomNormal(new Shape(co, c, 3, 3)).mul(0.05);
            NDArray b = m.zeros(new Shape(co));
            // NHWC storage seen through an NCHW view: channels-last strides
            NDArray xcl = x.transpose(0, 2, 3, 1).duplicate().transpose(0, 3, 1, 2);
            NDArray wcl = w.transpose(0, 2, 3, 1).duplicate().transpose(0, 3, 1, 2);
            NDArray xh = x.toType(DataType.FLOAT16, true), wh = w.toType(DataType.FLOAT16, true);
            NDArray bh = b.toType(DataType.FLOAT16, true);
            NDArray ref = conv(x, w, b);
            float diff = conv(xcl, wcl, b).sub(ref).abs().max().getFloat();
            System.out.println("channels-last: largest difference " + diff);
            NDArray half = conv(xh, wh, bh).toType(DataType.FLOAT32, true);
            System.out.println("float16: relative error " + half.sub(ref).norm().getFloat() / ref.norm().getFloat());
            NDArray ma = m.randomNormal(new Shape(1024, 1024)), mb = m.randomNormal(new Shape(1024, 1024));
            NDArray mah = ma.toType(DataType.FLOAT16, true), mbh = mb.toType(DataType.FLOAT16, true);
            for (int r = 0; r < 3; r++) {
                double nchw = millis(scoped(m, () -> conv(x, w, b)), 20);
                double cl = millis(scoped(m, () -> conv(xcl, wcl, b)), 20);
                double h = millis(scoped(m, () -> conv(xh, wh, bh)), 3);
                double mm = millis(scoped(m, () -> ma.matMul(mb)), 10);
                double mmh = millis(scoped(m, () -> mah.matMul(mbh)), 3);
                System.out.printf("round %d: conv NCHW %.2f ms, channels-last %.2f ms, float16 %.2f ms;"
                        + " matmul 1024x1024 float32 %.2f ms, float16 %.2f ms%n", r, nchw, cl, h, mm, mmh);
            }
        }
    }
}
