package io.gen4j.autoregressive;

/** What each conditional p(x_d | x_&lt;d) of a {@link Made} is. */
public enum MadeOutput {
    /** Bernoulli with a logit: binary data (binarised images); one output per dimension. */
    BERNOULLI,
    /** A mixture of K univariate Gaussians (logits, means, log-σ): real data (2-D toys); 3K per dimension. */
    GAUSSIAN_MIXTURE
}
