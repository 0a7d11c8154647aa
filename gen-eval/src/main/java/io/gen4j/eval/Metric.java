package io.gen4j.eval;

/** The sample-quality metrics an {@link Evaluation} can compute. */
public enum Metric {
    /** Fréchet distance of Gaussian fits to the features: {@link Fid}. */
    FID,
    /** Kernel Inception Distance, mean and std over subsets: {@link Kid}. */
    KID,
    /** Inception Score on the class probabilities, mean and std over splits: {@link InceptionScore}. */
    IS,
    /** Improved precision and recall, k = 3: {@link PrecisionRecall}. */
    PR,
    /** Density and coverage, k = 5: {@link DensityCoverage}. */
    DC
}
