import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.training.GradientCollector;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * Probe: can gen4j reach a libtorch operator that DJL 0.36 does not expose (here {@code silu}) by calling
 * its exported dispatcher entry point {@code at::_ops::silu::call(const at::Tensor&)} through JNA, on the
 * tensors DJL already holds, with autograd? Checks the values and the gradient against x·σ(x) and its
 * derivative, then times both. Linux x86-64 only (Itanium C++ ABI: an at::Tensor is returned through a
 * hidden pointer in the first argument register). Not part of the build:
 *
 * <pre>
 *   javac -cp examples/target/gen4j-examples-*-cli.jar -d /tmp/aten bench/jvm/AtenCall.java
 *   java -Dai.djl.pytorch.num_threads=1 -cp examples/target/gen4j-examples-*-cli.jar:/tmp/aten AtenCall
 * </pre>
 */
public class AtenCall {

    public static void main(String[] args) {
        Engine.getInstance();
        NativeLibrary torch = NativeLibrary.getInstance(System.getProperty("user.home")
                + "/.djl.ai/pytorch/2.7.1-20250812-cpu-linux-x86_64/libtorch_cpu.so");
        Function silu = torch.getFunction("_ZN2at4_ops4silu4callERKNS_6TensorE");
        // DJL deletes a handle with C++ delete: the holder of the result comes from operator new
        Function newBytes = NativeLibrary.getInstance("stdc++").getFunction("_Znwm");
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(64, 128, 16, 16));
            x.setRequiresGradient(true);
            NDArray fused;
            NDArray composed;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                Pointer holder = (Pointer) newBytes.invoke(Pointer.class, new Object[] {8L});
                silu.invoke(Void.class, new Object[] {holder, new Pointer(((PtNDArray) x).getHandle())});
                fused = new PtNDArray((PtNDManager) m, Pointer.nativeValue(holder));
                gc.backward(fused.sum());
            }
            NDArray gradFused = x.getGradient().duplicate();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                composed = x.mul(x.getNDArrayInternal().sigmoid());
                gc.backward(composed.sum());
            }
            // gradients accumulate across collectors (docs/known-issues.md): the second backward added its own
            NDArray gradComposed = x.getGradient().sub(gradFused);
            System.out.printf("silu through at::_ops::silu::call: shape %s, max |fused - x*sigmoid(x)| = %.3g, "
                    + "max |grad difference| = %.3g%n", fused.getShape(),
                    fused.sub(composed).abs().max().getFloat(), gradFused.sub(gradComposed).abs().max().getFloat());
            for (int round = 0; round < 3; round++) {
                int n = 200;
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        Pointer holder = (Pointer) newBytes.invoke(Pointer.class, new Object[] {8L});
                        silu.invoke(Void.class, new Object[] {holder, new Pointer(((PtNDArray) x).getHandle())});
                        NDArray y = new PtNDArray((PtNDManager) m, Pointer.nativeValue(holder));
                        gc.backward(y.sum());
                        y.close();
                    }
                }
                double f = (System.nanoTime() - t0) / 1e6 / n;
                t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray s = x.getNDArrayInternal().sigmoid();
                        NDArray y = x.mul(s);
                        gc.backward(y.sum());
                        y.close();
                        s.close();
                    }
                }
                double c = (System.nanoTime() - t0) / 1e6 / n;
                System.out.printf("round %d, forward + backward of (64, 128, 16, 16): fused %.2f ms, "
                        + "composed %.2f ms%n",
                        round, f, c);
            }
        }
    }
}
