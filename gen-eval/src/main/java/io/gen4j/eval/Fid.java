package io.gen4j.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_MT_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Fréchet Inception Distance (Heusel et al. 2017, "GANs trained by a two time-scale update rule
 * converge to a local Nash equilibrium").
 *
 * <p>The Fréchet (2-Wasserstein) distance between the Gaussians fitted to two feature sets:
 * <pre>
 *   FID = |μ₁ − μ₂|² + tr Σ₁ + tr Σ₂ − 2 tr (Σ₁^½ Σ₂ Σ₁^½)^½
 * </pre>
 * The last trace equals tr (Σ₁Σ₂)^½ = Σ √λᵢ(Σ₁Σ₂) and is computed without an iterative square
 * root, from the eigenvalues of a symmetric positive semi-definite matrix similar to Σ₁Σ₂:
 * <ul>
 *   <li>when Σ₁ is positive definite: Σ₁ = L Lᵀ (Cholesky) and M = Lᵀ Σ₂ L (one symmetric
 *       eigenvalue problem, no eigenvectors);</li>
 *   <li>otherwise (singular Σ₁, e.g. N ≤ d): Σ₁ = V Λ Vᵀ (symmetric eigen-decomposition, negative
 *       eigenvalues clipped to 0) and M = Λ^½ (Vᵀ Σ₂ V) Λ^½, similar to Σ₁^½ Σ₂ Σ₁^½.</li>
 * </ul>
 * tr M^½ is the sum of the square roots of M's eigenvalues, clipped at 0.
 *
 * <p>The name of a reported FID carries its feature extractor (e.g. {@code FID-inception-v3},
 * {@code FID-fmnist-cnn}): values from different extractors are not comparable.
 *
 * <p>As a {@link Metric} it reports one value, {@code FID}, between the input's reference and
 * samples; the static {@link #compute(Features, Features, NDManager)} is its functional twin.
 */
public record Fid() implements Metric {

    @Override
    public List<MetricValue> evaluate(MetricInput input, NDManager manager) {
        return List.of(MetricValue.of("FID", compute(input.reference(), input.samples(), manager)));
    }

    /**
     * FID between two feature sets (covariances unbiased, N−1).
     *
     * @param a first set, N >= 2
     * @param b second set, same dimension
     * @param manager scratch manager for the float64 products
     * @return FID >= 0 up to rounding
     */
    public static double compute(Features a, Features b, NDManager manager) {
        if (a.dim() != b.dim()) {
            throw new IllegalArgumentException("feature dimensions differ: " + a.dim() + " vs " + b.dim());
        }
        return fromStatistics(GaussianStatistics.estimate(a, manager), GaussianStatistics.estimate(b, manager),
                manager);
    }

    /**
     * FID between two Gaussians given as arrays.
     *
     * @param mu1 μ₁
     * @param sigma1 Σ₁, symmetric positive semi-definite
     * @param mu2 μ₂
     * @param sigma2 Σ₂, symmetric positive semi-definite
     * @return the Fréchet distance
     */
    public static double fromStatistics(double[] mu1, double[][] sigma1, double[] mu2, double[][] sigma2) {
        return fromStatistics(GaussianStatistics.of(mu1, sigma1), GaussianStatistics.of(mu2, sigma2));
    }

    /**
     * FID between two Gaussians.
     *
     * @param s1 first Gaussian
     * @param s2 second Gaussian, same dimension
     * @return the Fréchet distance
     */
    public static double fromStatistics(GaussianStatistics s1, GaussianStatistics s2) {
        return fromStatistics(s1, s2, null);
    }

    /**
     * FID between two Gaussians, with the two d×d matrix products done as float64 products on the
     * given manager's engine (faster than the pure-Java products for d in the hundreds or more).
     *
     * @param s1 first Gaussian
     * @param s2 second Gaussian, same dimension
     * @param manager scratch manager, or null for pure-Java products
     * @return the Fréchet distance
     */
    public static double fromStatistics(GaussianStatistics s1, GaussianStatistics s2, NDManager manager) {
        int d = s1.dim();
        if (s2.dim() != d) {
            throw new IllegalArgumentException("dimensions differ: " + d + " vs " + s2.dim());
        }
        double meanTerm = 0;
        for (int i = 0; i < d; i++) {
            double diff = s1.mean()[i] - s2.mean()[i];
            meanTerm += diff * diff;
        }
        double trace1 = 0;
        double trace2 = 0;
        for (int i = 0; i < d; i++) {
            trace1 += s1.covariance()[i * d + i];
            trace2 += s2.covariance()[i * d + i];
        }
        return meanTerm + trace1 + trace2 - 2 * traceSqrtProduct(s1.covariance(), s2.covariance(), d, manager);
    }

    /**
     * tr (Σ₁^½ Σ₂ Σ₁^½)^½ by two symmetric eigen-decompositions.
     *
     * @param sigma1 Σ₁ row-major
     * @param sigma2 Σ₂ row-major
     * @param d dimension
     * @return the trace of the matrix square root
     */
    static double traceSqrtProduct(double[] sigma1, double[] sigma2, int d) {
        return traceSqrtProduct(sigma1, sigma2, d, null);
    }

    /**
     * @param sigma1 Σ₁ row-major
     * @param sigma2 Σ₂ row-major
     * @param d dimension
     * @param manager engine for the products when d >= 256, or null
     * @return tr (Σ₁Σ₂)^½
     */
    static double traceSqrtProduct(double[] sigma1, double[] sigma2, int d, NDManager manager) {
        DMatrixRMaj l = symmetricCopy(sigma1, d);
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(d, true);
        if (chol.decompose(l)) {
            DMatrixRMaj lower = chol.getT(null);
            DMatrixRMaj s2 = symmetricCopy(sigma2, d);
            DMatrixRMaj m = new DMatrixRMaj(d, d);
            if (manager != null && d >= 256) {
                try (NDManager scope = manager.newSubManager()) {
                    NDArray lArray = scope.create(lower.data, new Shape(d, d));
                    NDArray s2Array = scope.create(s2.data, new Shape(d, d));
                    double[] product = lArray.transpose().matMul(s2Array).matMul(lArray).toDoubleArray();
                    System.arraycopy(product, 0, m.data, 0, d * d);
                }
            } else {
                DMatrixRMaj tmp = new DMatrixRMaj(d, d);
                if (d >= 256) {
                    CommonOps_MT_DDRM.multTransA(lower, s2, tmp);
                    CommonOps_MT_DDRM.mult(tmp, lower, m);
                } else {
                    CommonOps_DDRM.multTransA(lower, s2, tmp);
                    CommonOps_DDRM.mult(tmp, lower, m);
                }
            }
            return sumSqrtEigenvalues(m);
        }
        return traceSqrtProductByEigen(sigma1, sigma2, d);
    }

    /**
     * The eigen route of {@link #traceSqrtProduct}, valid for any positive semi-definite Σ₁.
     *
     * @param sigma1 Σ₁ row-major
     * @param sigma2 Σ₂ row-major
     * @param d dimension
     * @return the trace of the matrix square root
     */
    static double traceSqrtProductByEigen(double[] sigma1, double[] sigma2, int d) {
        DMatrixRMaj s1 = symmetricCopy(sigma1, d);
        EigenDecomposition_F64<DMatrixRMaj> eig1 = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig1.decompose(s1)) {
            throw new IllegalStateException("eigen-decomposition of sigma1 (" + d + "x" + d + ") failed");
        }
        DMatrixRMaj v = new DMatrixRMaj(d, d);
        double[] rootLambda = new double[d];
        for (int k = 0; k < d; k++) {
            rootLambda[k] = Math.sqrt(Math.max(0.0, eig1.getEigenvalue(k).getReal()));
            DMatrixRMaj vk = eig1.getEigenVector(k);
            for (int i = 0; i < d; i++) {
                v.unsafe_set(i, k, vk.unsafe_get(i, 0));
            }
        }
        // B = Vᵀ Σ₂ V, then M = Λ^½ B Λ^½
        DMatrixRMaj s2 = symmetricCopy(sigma2, d);
        DMatrixRMaj tmp = new DMatrixRMaj(d, d);
        DMatrixRMaj m = new DMatrixRMaj(d, d);
        if (d >= 256) {
            CommonOps_MT_DDRM.multTransA(v, s2, tmp);
            CommonOps_MT_DDRM.mult(tmp, v, m);
        } else {
            CommonOps_DDRM.multTransA(v, s2, tmp);
            CommonOps_DDRM.mult(tmp, v, m);
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                m.unsafe_set(i, j, m.unsafe_get(i, j) * rootLambda[i] * rootLambda[j]);
            }
        }
        return sumSqrtEigenvalues(m);
    }

    private static double sumSqrtEigenvalues(DMatrixRMaj m) {
        int d = m.numRows;
        symmetrizeInPlace(m);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, false, true);
        if (!eig.decompose(m)) {
            throw new IllegalStateException("symmetric eigen-decomposition (" + d + "x" + d + ") failed");
        }
        double trace = 0;
        for (int k = 0; k < d; k++) {
            trace += Math.sqrt(Math.max(0.0, eig.getEigenvalue(k).getReal()));
        }
        return trace;
    }

    private static DMatrixRMaj symmetricCopy(double[] a, int d) {
        DMatrixRMaj m = new DMatrixRMaj(d, d);
        System.arraycopy(a, 0, m.data, 0, d * d);
        symmetrizeInPlace(m);
        return m;
    }

    private static void symmetrizeInPlace(DMatrixRMaj m) {
        int d = m.numRows;
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                double v = 0.5 * (m.unsafe_get(i, j) + m.unsafe_get(j, i));
                m.unsafe_set(i, j, v);
                m.unsafe_set(j, i, v);
            }
        }
    }
}
