/*
 * gen4j-mkl-amd: lets Intel MKL, which libtorch's CPU build links for its matrix products, take the code
 * paths it keeps for Intel CPUs on AMD CPUs too.
 *
 * MKL asks mkl_serv_intel_cpu_true() whether the CPU is Intel's and, on an AMD CPU, runs slower generic
 * kernels instead of those that use the CPU's vector units. libtorch_cpu.so exports the function and calls
 * it through its procedure linkage table, so a library loaded before it (LD_PRELOAD) that defines the
 * function answers instead. MKL still picks the kernels from the CPU's feature flags (AVX2, AVX-512), which
 * the AMD CPU reports truthfully.
 *
 * Measured on a 2-core AMD EPYC (Zen 5, AVX-512), libtorch 2.7.1, one thread (docs/performance.md,
 * session 11): VAE training step 4.67 -> 2.90 ms, flow matching 1.10 -> 0.70 ms, WaveNet's generation
 * 0.58 -> 0.27 ms per sample. Convolutions (oneDNN) do not go through MKL and are unchanged.
 *
 * The ./gen4j launcher builds this file once (cc -shared -fPIC -O2) into ~/.cache/gen4j on an AMD x86-64
 * Linux machine with a C compiler and preloads it; GEN4J_MKL_AMD=0 turns that off. A program that depends on
 * gen4j can do the same: cc -shared -fPIC -O2 -o libgen4j-mkl-amd.so gen4j-mkl-amd.c, then start the JVM
 * with LD_PRELOAD=/path/to/libgen4j-mkl-amd.so. `gen4j doctor` says whether it is in use.
 */
int mkl_serv_intel_cpu_true(void) {
    return 1;
}
