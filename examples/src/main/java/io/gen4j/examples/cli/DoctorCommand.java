package io.gen4j.examples.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.gen4j.core.kernels.Kernels;
import io.gen4j.core.runtime.Autocast;
import io.gen4j.core.runtime.ConvGuard;
import io.gen4j.core.runtime.ConvSelfTest;
import io.gen4j.core.runtime.EngineInfo;
import io.gen4j.core.runtime.NativeMalloc;
import io.gen4j.core.runtime.OpenMpWait;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Prints what gen4j runs on: Java, the DJL engine and its version, device, threads, the convolution
 * guard chosen by the engine canary, the engine's fused kernels in use, how MKL's matrix products run and a
 * check of them, and which datasets it can find. Exits 1 when the engine cannot start, 2 when convolutions
 * are wrong even through the guard, matrix products are wrong, or {@code --device} names a GPU the engine
 * does not see.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check the engine, device, convolution guard and datasets.")
public final class DoctorCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        out.printf("java        %s (%s), %s%n", System.getProperty("java.version"),
                System.getProperty("java.vendor"), System.getProperty("os.arch"));
        EngineInfo info;
        try {
            info = global.apply();
        } catch (IllegalArgumentException e) {
            // e.g. --device gpu:7 on a machine with fewer GPUs: the engine started, the option is wrong; a bad
            // system property (gen4j.omp.wait, gen4j.malloc) names itself
            String message = String.valueOf(e.getMessage());
            err.println(message.startsWith("device ") ? "--device: " + message : message);
            return 2;
        } catch (RuntimeException | Error e) {
            err.println("engine      FAILED to start: " + e);
            err.println("            gen4j needs ai.djl.pytorch:pytorch-engine, pytorch-jni and pytorch-native-cpu"
                    + " (or a CUDA flavour via PYTORCH_FLAVOR) on the class path.");
            return 1;
        }
        out.printf("engine      %s %s (DJL %s)%n", info.engineName(), info.engineVersion(), info.djlVersion());
        out.printf("device      %s (GPUs seen: %d%s)%n", info.device(), info.gpuCount(),
                info.gpuCount() == 0 && !global.verbose ? "; --verbose shows why, if you expected one" : "");
        out.printf("threads     %s (cores: %d)%n", info.threads() < 0 ? "engine default" : info.threads(),
                Runtime.getRuntime().availableProcessors());
        out.printf("conv guard  %s%n", info.convGuard().describe());
        out.printf("kernels     %s%n", Kernels.forEngine(info.engineName()).describe());
        out.printf("native log  %s%n", info.nativeLogLevel() == null ? "unknown (libtorch not reachable)"
                : info.nativeLogLevel() + " (libtorch's threshold; TORCH_CPP_LOG_LEVEL=WARNING or --verbose shows its warnings)");
        ConvSelfTest.Report check = ConvGuard.check();
        out.printf("conv check  %s through the guard: %s%n", check.passed() ? "correct" : "WRONG", check.summary());
        out.printf("bf16 conv   %s; requested: %s (--autocast bf16 or -Dgen4j.autocast=bf16 asks for it)%n",
                ConvGuard.bfloat16Status().describe(), Autocast.processDefault() == Autocast.Precision.BFLOAT16
                        ? "yes" : "no");
        out.printf("mkl         %s%n", MatmulCheck.mklPath());
        out.printf("malloc      %s%n", NativeMalloc.keepFreedMemory());
        out.printf("openmp      %s%n", OpenMpWait.configure());
        MatmulCheck.Report gemm;
        try (NDManager manager = NDManager.newBaseManager()) {
            gemm = MatmulCheck.run(manager, NDArray::matMul);
        }
        out.printf("gemm check  %s: %s%n", gemm.passed() ? "correct" : "WRONG", gemm.summary());
        for (String line : DatasetProbe.describe()) {
            out.printf("data        %s%n", line);
        }
        out.flush();
        return check.passed() && gemm.passed() ? 0 : 2;
    }
}
